// The Overview's headline across every connector, as charts: the total score of the chosen
// framework, failing controls by severity, connectors by status, and the score over time.
// Inline SVG and plain elements, no chart library; every chart also says its numbers in words.
import { api } from "./api.js";
import { $, h, replace } from "./dom.js";
import { scorePercent, scoreText } from "./compliance.js";
import { fmtNumber, STATUS_LABEL } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
const SEVERITIES = ["critical", "high", "medium", "low", "informational"];
const STATUSES = ["online", "offline", "pending", "refreshing"];
const MAX_REPORTS = 25; // failing controls are counted over this many connectors at most

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

function tile(title, chart, words) {
  return h("figure", { class: "hl-tile" }, h("figcaption", { class: "stat-label" }, title), chart,
    h("p", { class: "hl-words muted small" }, words));
}

// A ring filled to the score.
function scoreRing(score) {
  const pct = scorePercent(score) ?? 0;
  const r = 30;
  const length = 2 * Math.PI * r;
  const band = score === null ? "none" : pct >= 90 ? "good" : pct >= 70 ? "fair" : "poor";
  const chart = svg("svg", { viewBox: "0 0 80 80", width: 88, height: 88, role: "img",
    "aria-label": `Total score ${scoreText(score)}`, class: `hl-ring ring-${band}` },
  svg("circle", { cx: 40, cy: 40, r, class: "ring-track" }),
  svg("circle", { cx: 40, cy: 40, r, class: "ring-value", "stroke-dasharray": `${(pct / 100) * length} ${length}`,
    transform: "rotate(-90 40 40)" }),
  svg("text", { x: 40, y: 45, "text-anchor": "middle", class: "ring-text" }, scoreText(score)));
  return chart;
}

// Horizontal bars, one per label, longest first in the given order.
function bars(entries, labelOf, kind) {
  const max = Math.max(1, ...entries.map(([, n]) => n));
  return h("ul", { class: "hl-bars" }, entries.map(([key, n]) => {
    const fill = h("span", { class: `hl-fill ${kind}-${key}` });
    fill.style.width = `${(n / max) * 100}%`;
    return h("li", {}, h("span", { class: "hl-label" }, labelOf(key)),
      h("span", { class: "hl-track", "aria-hidden": "true" }, fill),
      h("span", { class: "hl-n" }, fmtNumber(n)));
  }));
}

// The score of all connectors together over time: per day, each connector's last score of that
// day (per evaluation while all of them fall on one day).
export function scoreSeries(items) {
  const points = items.flatMap((item) => (item.trend ?? []).map((p) => ({
    id: item.connector_id, at: String(p.at ?? p.evaluated_at ?? ""), pct: scorePercent(p.score),
  }))).filter((p) => p.pct !== null && p.at);
  const days = new Set(points.map((p) => p.at.slice(0, 10)));
  const width = days.size > 1 ? 10 : undefined;
  const buckets = new Map();
  for (const p of points.sort((a, b) => a.at.localeCompare(b.at))) {
    const key = p.at.slice(0, width);
    if (!buckets.has(key)) buckets.set(key, new Map());
    buckets.get(key).set(p.id, p.pct);
  }
  return [...buckets].map(([day, scores]) => ({
    day: day.replace("T", " ").slice(0, 19), pct: [...scores.values()].reduce((s, v) => s + v, 0) / scores.size,
  }));
}

function trendChart(points) {
  if (points.length < 2) return h("p", { class: "muted" }, points.length ? "One evaluation so far." : "No evaluation yet.");
  const width = 240;
  const height = 70;
  const x = (i) => 4 + (i / (points.length - 1)) * (width - 8);
  const y = (pct) => height - 4 - (pct / 100) * (height - 8);
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.pct).toFixed(1)}`).join(" ");
  const first = points[0];
  const last = points[points.length - 1];
  return svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", height, class: "hl-trend", role: "img",
    "aria-label": `Score over ${points.length} points: ${Math.round(first.pct)}% at ${first.day} to ${Math.round(last.pct)}% at ${last.day}` },
  svg("line", { x1: 0, x2: width, y1: y(100), y2: y(100), class: "hl-grid" }),
  svg("line", { x1: 0, x2: width, y1: y(50), y2: y(50), class: "hl-grid" }),
  svg("polyline", { points: line, class: "hl-line" }),
  ...points.map((p, i) => svg("circle", { cx: x(i), cy: y(p.pct), r: 2.5, class: "hl-dot" })));
}

async function connectorsByStatus() {
  const totals = await Promise.all(STATUSES.map((s) =>
    api("GET", `/connectors?${new URLSearchParams({ status: s, limit: "1" })}`).then((a) => a.total ?? 0)));
  return STATUSES.map((s, i) => [s, totals[i]]);
}

// Failing controls across connectors, each counted at the highest severity of its rules.
async function failingBySeverity(items, frameworkId) {
  const [rulesAnswer, ...reports] = await Promise.all([
    api("GET", "/rules"),
    ...items.slice(0, MAX_REPORTS).map((item) => api("GET",
      `/reports?${new URLSearchParams({ connector: item.connector_id, framework: frameworkId })}`)
      .catch(() => null)),
  ]);
  const severity = new Map((rulesAnswer.items ?? []).map((r) => [r.id, r.severity]));
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  for (const report of reports) {
    for (const control of report?.controls ?? []) {
      if (control.status !== "fail") continue;
      const ranks = (control.rules ?? []).map((id) => SEVERITIES.indexOf(severity.get(id))).filter((i) => i >= 0);
      const worst = SEVERITIES[ranks.length ? Math.min(...ranks) : SEVERITIES.length - 1];
      counts[worst] += 1;
    }
  }
  return { entries: SEVERITIES.map((s) => [s, counts[s]]), partial: items.length > MAX_REPORTS };
}

export class OverviewHeadline {
  constructor() {
    this.target = $("#headline");
  }

  async show(items, frameworkId) {
    if (!this.target) return;
    const passed = items.reduce((n, i) => n + (i.passed ?? 0), 0);
    const failed = items.reduce((n, i) => n + (i.failed ?? 0), 0);
    const score = passed + failed ? passed / (passed + failed) : null;
    const [statuses, severities] = await Promise.all([
      connectorsByStatus(), failingBySeverity(items, frameworkId)]);
    const failing = severities.entries.reduce((n, [, c]) => n + c, 0);
    const days = scoreSeries(items);
    const key = JSON.stringify([score, statuses, severities, days]);
    if (this.target.dataset.key === key) return;
    this.target.dataset.key = key;
    replace(this.target,
      tile("Total score", scoreRing(score),
        `${fmtNumber(passed)} passed and ${fmtNumber(failed)} failed results over ${fmtNumber(items.length)} connectors.`),
      tile("Failing controls by severity", bars(severities.entries, (s) => s[0].toUpperCase() + s.slice(1), "hlsev"),
        `${fmtNumber(failing)} failing controls${severities.partial ? ` (first ${MAX_REPORTS} connectors)` : ""}.`),
      tile("Connectors by status", bars(statuses, (s) => STATUS_LABEL[s] ?? s, "hlst"),
        statuses.map(([s, n]) => `${fmtNumber(n)} ${(STATUS_LABEL[s] ?? s).toLowerCase()}`).join(", ") + "."),
      tile("Score over time", trendChart(days),
        days.length ? `Score of all connectors, ${days[0].day} to ${days[days.length - 1].day}.` : "Filled in by each evaluation."));
  }
}
