// Live state: short polling while the tab is visible, plus the local "Refreshing" promise.
//
// A Refresh is queued by the API and picked up by the scheduler a moment later; until the
// server itself says "refreshing" (and then reports the outcome) the row shows Refreshing.

export const POLL_MS = 2000;
const GIVE_UP_MS = 90_000; // no scheduler picked it up: show the server's state again

export function every(ms, task) {
  let timer = null;
  let running = false;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    if (!document.hidden && !running) {
      running = true;
      try { await task(); } catch { /* the next tick tries again */ } finally { running = false; }
    }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  timer = setTimeout(tick, ms);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && !stopped) task().catch(() => {});
  });
  return () => { stopped = true; clearTimeout(timer); };
}

export class RefreshTracker {
  constructor() { this.pending = new Map(); }

  requested(connector) {
    this.pending.set(connector.id, {
      since: Date.now(), sawRefreshing: connector.status === "refreshing", lastRun: connector.last_run_at,
    });
  }

  // The status to display for `connector`, given what the server says now.
  status(connector) {
    const entry = this.pending.get(connector.id);
    if (!entry) return connector.status;
    if (connector.status === "refreshing") { entry.sawRefreshing = true; return "refreshing"; }
    const finished = entry.sawRefreshing || connector.last_run_at !== entry.lastRun;
    if (finished || Date.now() - entry.since > GIVE_UP_MS) {
      this.pending.delete(connector.id);
      return connector.status;
    }
    return "refreshing";
  }

  get active() { return this.pending.size > 0; }
}
