// The Overview tab: compliance per connector and framework first, then a card per connector
// with its assets by type and region (and Refresh, which polls the connector again).
import { api, ApiError } from "./api.js";
import { ComplianceOverview } from "./overview_compliance.js";
import { OverviewHeadline } from "./overview_headline.js";
import { $, h, readJson, replace, toast } from "./dom.js";
import { discoveryBadge, fmtNumber, providerLabel, statusBadge, timeCell } from "./format.js";
import { every, POLL_MS } from "./live.js";

const PAGE = 12;
const config = readJson("page-config");
const cards = new Map(); // id -> {card, connector, summaryKey}
let offset = 0;
let summaryMissing = false;

function pairs(value, keyName) {
  if (!value) return [];
  const list = Array.isArray(value) ? value.map((x) => [x[keyName] ?? x.key, x.count ?? 0]) : Object.entries(value);
  return list.sort((a, b) => b[1] - a[1]);
}

function bars(title, entries) {
  if (!entries.length) return null;
  const max = Math.max(...entries.map(([, n]) => n), 1);
  return h("div", { class: "bars" }, h("h4", {}, title),
    h("ul", {}, entries.slice(0, 6).map(([k, n]) => {
      const meter = h("span", { class: "bar-fill" });
      meter.style.width = `${Math.max(4, Math.round((n / max) * 100))}%`;
      return h("li", {}, h("span", { class: "bar-label" }, h("code", {}, k)),
        h("span", { class: "bar" }, meter), h("span", { class: "bar-num" }, fmtNumber(n)));
    })));
}

async function loadSummary(entry) {
  const c = entry.connector;
  const key = `${c.last_run_at}|${c.asset_count}`;
  if (entry.summaryKey === key) return;
  entry.summaryKey = key;
  const body = $(".card-summary", entry.card);
  if (!summaryMissing) {
    try {
      const data = await api("GET", `/connectors/${encodeURIComponent(c.id)}/inventory/summary`);
      const types = pairs(data.by_type ?? data.types, "type");
      const regions = pairs(data.by_region ?? data.regions, "region");
      replace(body, types.length || regions.length
        ? [bars("By type", types), bars("By region", regions)]
        : h("p", { class: "muted" }, "No assets collected yet."));
      return;
    } catch (error) {
      if (!(error instanceof ApiError && error.routeMissing)) {
        replace(body, h("p", { class: "note note-error" }, `Summary unavailable: ${error.message}`));
        return;
      }
      summaryMissing = true;
    }
  }
  $("#overview-note").hidden = false;
  replace(body,
    h("p", { class: "totals" },
      h("strong", {}, fmtNumber(c.vm_count)), " virtual machines · ",
      h("strong", {}, fmtNumber(c.asset_count)), " resources"),
    c.regions?.length
      ? h("ul", { class: "chips" }, c.regions.map((r) => h("li", { class: "chip" }, r)))
      : h("p", { class: "muted" }, "No region discovered yet."));
}

async function refreshInventory(c, button) {
  button.disabled = true;
  try {
    const answer = await api("POST", `/connectors/${encodeURIComponent(c.id)}/refresh`);
    toast(answer.queued ? `Polling ${c.name} again.` : `${c.name} is already refreshing.`);
    render(answer.connector);
  } catch (error) {
    toast(`Refresh failed: ${error.message}`, "error");
  } finally {
    button.disabled = false;
  }
}

function render(c) {
  let entry = cards.get(c.id);
  if (!entry) {
    const card = h("article", { class: "card ov-card", "aria-labelledby": `ov-${c.id}` },
      h("header", { class: "ov-head" },
        h("h3", { id: `ov-${c.id}` }, h("a", { href: `/compliance/connectors/${encodeURIComponent(c.id)}` }, c.name)),
        h("span", { class: "ov-badge" })),
      h("p", { class: "ov-meta muted" }),
      h("div", { class: "card-summary" }, h("p", { class: "muted" }, "Loading…")));
    if (config.canWrite) {
      const button = h("button", { type: "button", class: "btn btn-small btn-secondary", "aria-label": `Refresh inventory of ${c.name}` }, "Refresh inventory");
      button.addEventListener("click", () => refreshInventory(entry.connector, button));
      card.append(h("footer", { class: "ov-foot" }, button));
    }
    entry = { card, connector: c, summaryKey: null };
    cards.set(c.id, entry);
  }
  entry.connector = c;
  replace($(".ov-badge", entry.card), statusBadge(c.status));
  replace($(".ov-meta", entry.card), providerLabel(c.provider), " · ", discoveryBadge(c.discovery),
    " · last poll ", timeCell(c.last_run_at, "never"));
  loadSummary(entry);
  return entry.card;
}

async function load() {
  const page = await api("GET", `/connectors?limit=${PAGE}&offset=${offset}`);
  const container = $("#overview-cards");
  const seen = new Set(page.items.map((c) => c.id));
  for (const id of [...cards.keys()]) if (!seen.has(id)) cards.delete(id);
  const nodes = page.items.map(render);
  if (!page.items.length) replace(container, h("p", { class: "muted" }, "No connectors yet. Add one on the Connectors tab."));
  else if ([...container.children].some((n, i) => n !== nodes[i]) || container.children.length !== nodes.length) replace(container, nodes);
  $("#overview-summary").textContent = page.total
    ? `Connectors ${fmtNumber(offset + 1)}–${fmtNumber(offset + page.items.length)} of ${fmtNumber(page.total)}` : "";
  $("#ov-prev").disabled = offset === 0;
  $("#ov-next").disabled = offset + page.items.length >= page.total;
}

$("#ov-prev").addEventListener("click", () => { offset = Math.max(0, offset - PAGE); load(); });
$("#ov-next").addEventListener("click", () => { offset += PAGE; load(); });
load().catch((error) => replace($("#overview-cards"), h("p", { class: "note note-error" }, `Could not load connectors: ${error.message}`)));
every(POLL_MS, load);
const headline = new OverviewHeadline();
const compliance = new ComplianceOverview({
  canWrite: config.canWrite,
  onItems: (items, frameworkId) => headline.show(items, frameworkId).catch(() => {}),
});
compliance.start().finally(() => { document.body.dataset.complianceReady = "true"; });
document.body.dataset.ready = "true"; // tests and the benchmark wait for this
