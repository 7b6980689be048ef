// Live state: short polling while the tab is visible.
//
// The server says "refreshing" from the moment it accepts a Refresh (refresh_queued while no
// poller has taken it yet) and goes back to the previous status, with a warning, if none takes
// it within the lease time; the pages show what the server says, with no promise of their own.

export const POLL_MS = 2000;

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
