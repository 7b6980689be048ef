// How states, times and numbers read in the portal.
import { h } from "./dom.js";

export const PROVIDERS = {
  aws: { short: "AWS", long: "Amazon Web Services" },
  gcp: { short: "Google Cloud", long: "Google Cloud" },
  azure: { short: "Azure", long: "Microsoft Azure" },
};

export const STATUS_LABEL = {
  pending: "Pending", online: "Online", offline: "Offline", refreshing: "Refreshing",
};

export const DISCOVERY_LABEL = { regions_discovered: "Regions Discovered", success: "Success" };

export function statusBadge(status) {
  return h("span", { class: `badge badge-${status}`, dataset: { status } },
    h("span", { class: "dot", "aria-hidden": "true" }), STATUS_LABEL[status] ?? status);
}

export function discoveryBadge(discovery) {
  if (!discovery) return h("span", { class: "muted", title: "No poll has succeeded yet" }, "—");
  return h("span", { class: `chip chip-${discovery}` }, DISCOVERY_LABEL[discovery] ?? discovery);
}

export function providerLabel(provider, { long = false } = {}) {
  const names = PROVIDERS[provider] ?? { short: provider, long: provider };
  return h("span", { class: "provider" },
    h("img", { src: `/static/icons/${provider}.svg`, alt: "", width: 20, height: 20 }),
    long ? names.long : names.short);
}

const number = new Intl.NumberFormat();
export const fmtNumber = (n) => number.format(n ?? 0);

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function relativeTime(iso) {
  if (!iso) return null;
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 45) return seconds < 0 ? "just now" : "in a moment";
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), "hour");
  return relative.format(Math.round(seconds / 86400), "day");
}

export function timeCell(iso, emptyText) {
  if (!iso) return h("span", { class: "muted" }, emptyText);
  return h("time", { datetime: iso, title: absolute.format(new Date(iso)) }, relativeTime(iso));
}

// The next poll; one that is already past its time reads "due …" so a stall is visible.
export function nextPollCell(iso, status, queued = false) {
  if (status === "refreshing") return h("span", { class: "muted" }, queued ? "Waiting for a poller" : "Running now");
  if (!iso) return h("span", { class: "muted" }, "—");
  const late = (Date.now() - new Date(iso).getTime()) / 1000 > 90;
  const cell = timeCell(iso, "—");
  if (late) cell.textContent = `due ${relativeTime(iso)}`;
  return cell;
}

export function fmtDate(iso) {
  return iso ? absolute.format(new Date(iso)) : "—";
}

export function minutesSince(iso) {
  return iso ? (Date.now() - new Date(iso).getTime()) / 60000 : 0;
}

export function duration(startIso, endIso) {
  if (!startIso) return "—";
  const seconds = Math.max(0, ((endIso ? new Date(endIso) : new Date()) - new Date(startIso)) / 1000);
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

// An identifier (ARN, resource type, URL) in <code> that may break only after its separators
// (":", "/", ".", "-", "_"), never in the middle of a word.
export function ident(text, attrs = {}) {
  const parts = String(text ?? "").split(/(?<=[:/._-])/);
  const children = parts.flatMap((part, i) => (i ? [document.createElement("wbr"), part] : [part]));
  return h("code", { ...attrs, class: ["ident", attrs.class].filter(Boolean).join(" ") }, children);
}

// The first line of a message, for a table cell (the whole text goes in a tooltip).
export const firstLine = (text) => String(text ?? "").split(/\r?\n/, 1)[0].trim();
