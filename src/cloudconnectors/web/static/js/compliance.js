// Compliance widgets shared by the Overview and the report page: score, pass/fail bar,
// trend sparkline (inline SVG), control status chips, report refresh and exports.
import { api, ApiError, download } from "./api.js";
import { h, saveBlob, toast } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";

export const CONTROL_STATUS = {
  fail: "Fail", pass: "Pass", not_evaluated: "Not evaluated", manual: "Manual",
  not_applicable: "Not applicable",
};
export const EXPORT_FORMATS = [
  ["json", "JSON"], ["csv", "CSV"], ["html", "HTML"], ["ocsf", "OCSF"],
];

// Scores come as a fraction (0.87); tolerate a percentage too.
export function scorePercent(score) {
  if (score === null || score === undefined || Number.isNaN(Number(score))) return null;
  const value = Number(score);
  return Math.round((value <= 1 ? value * 100 : value) * 10) / 10;
}

export function scoreText(score) {
  const pct = scorePercent(score);
  return pct === null ? "—" : `${Math.round(pct)}%`;
}

export function scoreCell(score) {
  const pct = scorePercent(score);
  const band = pct === null ? "none" : pct >= 90 ? "good" : pct >= 70 ? "fair" : "poor";
  return h("span", { class: `score score-${band}`, title: pct === null ? "No automated result yet" : `${pct}% of automated results pass` }, scoreText(score));
}

// A horizontal bar: passed (green) then failed (red); manual/not applicable in the words.
export function passFailBar({ passed = 0, failed = 0, manual = 0, not_applicable = 0 }) {
  const total = passed + failed;
  const words = `${passed} passed, ${failed} failed` +
    (manual ? `, ${manual} manual` : "") + (not_applicable ? `, ${not_applicable} not applicable` : "");
  const bar = h("span", { class: "pf-bar", role: "img", "aria-label": words, title: words });
  if (total) {
    const pass = h("span", { class: "pf-pass" });
    pass.style.width = `${(passed / total) * 100}%`;
    const fail = h("span", { class: "pf-fail" });
    fail.style.width = `${(failed / total) * 100}%`;
    bar.append(pass, fail);
  }
  return h("span", { class: "pf" }, bar,
    h("span", { class: "pf-words", "aria-hidden": "true" },
      h("span", { class: "pf-n-pass" }, `${passed} pass`), " · ",
      h("span", { class: "pf-n-fail" }, `${failed} fail`)));
}

// Points: [{at|evaluated_at, score}], oldest first. An inline SVG, no library.
export function sparkline(trend, { width = 120, height = 28 } = {}) {
  const points = (trend ?? [])
    .map((p) => ({ at: p.at ?? p.evaluated_at, pct: scorePercent(p.score) }))
    .filter((p) => p.pct !== null)
    .sort((a, b) => new Date(a.at) - new Date(b.at));
  if (points.length < 2) {
    return h("span", { class: "muted spark-empty" }, points.length ? "one evaluation" : "—");
  }
  const first = points[0].pct;
  const last = points[points.length - 1].pct;
  const label = `Score trend over ${points.length} evaluations: ${Math.round(first)}% to ${Math.round(last)}%`;
  const svg = document.createElementNS(SVG, "svg");
  for (const [k, v] of Object.entries({ width, height, viewBox: `0 0 ${width} ${height}`, role: "img", class: "spark", "aria-label": label })) {
    svg.setAttribute(k, String(v));
  }
  const title = document.createElementNS(SVG, "title");
  title.textContent = label;
  svg.append(title);
  // The y range hugs the data (at least 10 points tall) so a few points of change show.
  const values = points.map((p) => p.pct);
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (high - low < 10) {
    const middle = (high + low) / 2;
    low = Math.max(0, middle - 5);
    high = Math.min(100, low + 10);
    low = high - 10;
  }
  const pad = 3;
  const x = (i) => pad + (i * (width - 2 * pad)) / (points.length - 1);
  const y = (pct) => height - pad - ((pct - low) / (high - low)) * (height - 2 * pad);
  const coords = points.map((p, i) => `${x(i).toFixed(1)},${y(p.pct).toFixed(1)}`);
  const area = document.createElementNS(SVG, "polygon");
  area.setAttribute("points", `${x(0)},${height - pad} ${coords.join(" ")} ${x(points.length - 1)},${height - pad}`);
  area.setAttribute("class", "spark-area");
  const line = document.createElementNS(SVG, "polyline");
  line.setAttribute("points", coords.join(" "));
  line.setAttribute("class", `spark-line ${last >= first ? "spark-up" : "spark-down"}`);
  const dot = document.createElementNS(SVG, "circle");
  dot.setAttribute("cx", x(points.length - 1).toFixed(1));
  dot.setAttribute("cy", y(last).toFixed(1));
  dot.setAttribute("r", "2.5");
  dot.setAttribute("class", "spark-dot");
  svg.append(area, line, dot);
  return svg;
}

export function controlStatusChip(status) {
  return h("span", { class: `cstatus cstatus-${status}` }, CONTROL_STATUS[status] ?? status);
}

export function reportHref(connectorId, frameworkId) {
  return `/compliance/connectors/${encodeURIComponent(connectorId)}/reports/${encodeURIComponent(frameworkId)}`;
}

// POST /connectors/{id}/reports/refresh; true when it was accepted.
export async function refreshReports(connector) {
  try {
    await api("POST", `/connectors/${encodeURIComponent(connector.id)}/reports/refresh`);
    toast(`Refreshing reports for ${connector.name}.`);
    return true;
  } catch (error) {
    toast(error instanceof ApiError && error.routeMissing
      ? "Refreshing reports is not available on this server yet."
      : `Refreshing reports failed: ${error.message}`, "error");
    return false;
  }
}

// `account`: one project or subscription of the connector (null: the whole connector).
export async function exportReport(connectorId, frameworkId, format, account = null) {
  const query = new URLSearchParams({ connector: connectorId, framework: frameworkId, format });
  if (account) query.set("account", account);
  try {
    const { blob, filename } = await download(`/reports/export?${query}`);
    saveBlob(blob, filename ?? `report-${frameworkId}.${format === "ocsf" ? "json" : format}`);
  } catch (error) {
    toast(error instanceof ApiError && error.routeMissing
      ? "Report exports are not available on this server yet."
      : `The export failed: ${error.message}`, "error");
  }
}
