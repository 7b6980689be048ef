// Plain-language explanations of a connector's state. One place, so every page says the same.
import { duration, minutesSince, relativeTime } from "./format.js";

// What to do about an offline connector, from what this connector's provider reported: the
// first item its diagnostics mark missing, with that provider's own fix. Nothing here names a
// cloud; a provider with an issued identifier (an External ID) gets the warning that comes with it.
export function offlineAdvice(c, diagnostics) {
  const missing = (diagnostics?.items ?? []).find((item) => item.access === "missing" && item.fix);
  const lines = [missing
    ? `Start with "${missing.title}" in the setup checklist below: ${missing.fix}`
    : "Read the last error, fix what it names on the cloud side (the setup checklist below shows what the last poll could read), then press Refresh."];
  if (missing) lines.push("Then press Refresh.");
  if (c.credentials?.external_id) {
    lines.push("Deleting and re-adding the connector does not help: a new connector gets a new External ID, so the role's trust policy would have to change.");
  }
  return lines;
}

// runs: array (newest first), or null when run history is not available on this server.
// diagnostics: the connector's /diagnostics answer, or null while not loaded.
export function explainStatus(c, runs, graceMinutes = 15, diagnostics = null) {
  const waited = minutesSince(c.created_at);
  switch (c.status) {
    case "pending": {
      const lines = [`Created ${relativeTime(c.created_at)}. The first poll has not finished yet; a healthy connector turns Online within ${graceMinutes} minutes.`];
      if (waited < graceMinutes) {
        if (c.warning) lines.push(c.warning);
        return { tone: c.warning ? "warn" : "info", lines };
      }
      const running = runs?.find((r) => r.state === "running");
      if (running) {
        lines.push(`The first poll started ${relativeTime(running.started_at)} and is still running (${duration(running.started_at)} so far). Accounts with many regions or resources take longer; the run history below shows what is done.`);
      } else if (runs && runs.length === 0) {
        lines.push(`It has waited ${Math.round(waited)} minutes and no poll has started. Is the scheduler running? "cloudconnectors serve" runs it inside the server; in a scale-out set-up, check that at least one "cloudconnectors worker" is up and reaches the broker.`);
      } else if (runs && runs.length) {
        lines.push("A poll ran but did not finish the first collection. Check the run history below for the reason.");
      } else {
        lines.push(`It has waited ${Math.round(waited)} minutes. If no poll has started, check that the scheduler is running ("cloudconnectors serve" runs it inside the server; otherwise a "cloudconnectors worker").`);
      }
      if (c.warning) lines.push(c.warning);
      return { tone: "warn", lines };
    }
    case "refreshing":
      return { tone: "info", lines: [c.refresh_queued
        ? `Refresh accepted ${relativeTime(c.refresh_requested_at)}; waiting for a poller to take it. If none takes it within the lease time, the connector goes back to its previous status and says so here.`
        : "A poll is running now. The status changes to Online or Offline when it finishes."] };
    case "online": {
      const lines = c.discovery === "success"
        ? ["The last poll signed in, listed the regions and read at least one virtual machine."]
        : ["The last poll signed in and listed the regions, but found no virtual machine in any of them (Regions Discovered). If the account has instances, check the setup checklist below; Success follows once at least one is read."];
      if (c.warning) lines.push(`Some parts could not be read: ${c.warning}. The run history below names each and what was kept.`);
      return { tone: c.warning ? "warn" : "ok", lines };
    }
    case "offline":
      return {
        tone: "error",
        lines: [c.discovery
          ? "The last poll failed, so the inventory shown is from the last poll that worked."
          : "The last poll failed and no poll has worked yet, so there is no inventory.",
        ...offlineAdvice(c, diagnostics), ...(c.warning ? [c.warning] : [])],
      };
    default:
      return { tone: "info", lines: [] };
  }
}

export const DISCOVERY_HELP = {
  null: "No poll has succeeded yet.",
  regions_discovered: "Signed in and listed regions; no virtual machine read yet.",
  success: "Read at least one virtual machine from a discovered region.",
};
