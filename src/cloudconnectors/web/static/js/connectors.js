// The Connectors tab: server-side paged table, filters, live status, row menu, dialogs.
import { api } from "./api.js";
import { $, h, readJson, replace, setText, toast } from "./dom.js";
import { EditDialog, DeleteDialog } from "./edit_delete.js";
import {
  discoveryBadge, firstLine, fmtNumber, minutesSince, nextPollCell, providerLabel, STATUS_LABEL, statusBadge,
  timeCell,
} from "./format.js";
import { every, POLL_MS } from "./live.js";
import { RowMenu } from "./menu.js";
import { NewConnectorDrawer } from "./new_connector.js";

const config = readJson("page-config");
const tbody = $("#connector-rows");
const summary = $("#table-summary");
const filters = $("#filters");
const rows = new Map(); // id -> {tr, connector}
let state = readQuery();
let lastPage = null;
let highlight = null;
let requestSeq = 0;

function readQuery() {
  const params = new URLSearchParams(location.search);
  return {
    q: params.get("q") ?? "",
    provider: params.get("provider") ?? "",
    status: params.get("status") ?? "",
    offset: Math.max(0, Number.parseInt(params.get("offset") ?? "0", 10) || 0),
    sort: params.get("sort") ?? "name",
    order: params.get("order") === "desc" ? "desc" : "asc",
  };
}

const SORT_KEYS = ["q", "provider", "status"];

function showSort() {
  for (const th of document.querySelectorAll("th[data-sort]")) {
    const active = th.dataset.sort === state.sort;
    if (active) th.setAttribute("aria-sort", state.order === "desc" ? "descending" : "ascending");
    else th.removeAttribute("aria-sort");
  }
}

function writeQuery() {
  const params = new URLSearchParams();
  for (const key of SORT_KEYS) if (state[key]) params.set(key, state[key]);
  if (state.offset) params.set("offset", String(state.offset));
  if (state.sort !== "name") params.set("sort", state.sort);
  if (state.order !== "asc") params.set("order", state.order);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

// The table is a tree: top-level connectors (accounts and organizations) are paged; an
// organization is listed when it or one of its members matches the filters, and its matching
// members follow it, indented.
function listPath() {
  const params = new URLSearchParams({ limit: String(config.pageSize), offset: String(state.offset) });
  for (const key of SORT_KEYS) if (state[key]) params.set(key, state[key]);
  params.set("sort", state.sort);
  params.set("order", state.order);
  params.set("parent", "none");
  params.set("tree", "true");
  return `/connectors?${params}`;
}

function membersPath(org) {
  const params = new URLSearchParams({ limit: "500", parent: org.id, sort: state.sort, order: state.order });
  for (const key of SORT_KEYS) if (state[key]) params.set(key, state[key]);
  return `/connectors?${params}`;
}

async function withMembers(page) {
  const orgs = page.items.filter((c) => c.kind === "organization");
  const found = await Promise.all(orgs.map((org) => api("GET", membersPath(org))));
  page.members = Object.fromEntries(orgs.map((org, i) => [org.id, found[i].items]));
  return page;
}

// Column names for the cells of a reflowed row on a narrow screen (the name cell needs none).
const COLUMN_LABELS = [...document.querySelectorAll("#connectors-table thead th")]
  .map((th) => th.textContent.trim());

const detailHref = (c) => `/compliance/connectors/${encodeURIComponent(c.id)}`;

function memberLabel(c) {
  if (c.kind === "organization") return h("span", { class: "org-tag" }, "Organization");
  if (c.parent_id) return h("span", { class: "member-of", "aria-hidden": "true" }, "└ ");
  return null;
}

function fillRow(tr, c) {
  const cells = tr.children;
  const link = h("a", { href: detailHref(c), class: "row-link" }, c.name);
  if (c.kind === "organization") replace(cells[0], link, " ", memberLabel(c));
  else replace(cells[0], memberLabel(c), link);
  replace(cells[1], providerLabel(c.provider));
  const shown = c.status;
  const waited = shown === "pending" && !c.gone_at ? minutesSince(c.created_at) : 0;
  replace(cells[2], c.gone_at ? h("span", { class: "badge badge-gone", title: c.member?.gone_reason ?? "" }, "Gone")
    : statusBadge(shown), c.members
    ? h("span", { class: "rollup" }, c.members.summary)
    : null, waited > config.pendingGraceMinutes
    ? h("a", { class: "waiting", href: detailHref(c) }, `Waiting ${Math.round(waited)} min: why?`)
    : null, shown === "offline" && c.last_error && !c.gone_at ? offlineReason(c) : null);
  replace(cells[3], discoveryBadge(c.discovery));
  replace(cells[4], timeCell(c.last_run_at, "Never"));
  replace(cells[5], nextPollCell(c.next_run_at, shown, c.refresh_queued));
  cells[6].textContent = fmtNumber(c.vm_count);
  cells[7].textContent = fmtNumber(c.asset_count);
  tr.dataset.status = c.status;
  tr.classList.toggle("member-row", Boolean(c.parent_id));
  tr.classList.toggle("org-row", c.kind === "organization");
}

// Why an offline connector is offline, in one line (the whole message as its tooltip), and the
// way to the checklist that says what to fix.
function offlineReason(c) {
  return h("span", { class: "row-reason" },
    h("span", { class: "reason-line", title: c.last_error }, firstLine(c.last_error)),
    h("a", { class: "fix-link", href: `${detailHref(c)}#diag-title`,
      "aria-label": `Fix ${c.name}: open its setup checklist` }, "Fix"));
}

function makeRow(c) {
  const tr = h("tr", { dataset: { id: c.id } });
  for (let i = 0; i < 8; i += 1) {
    tr.append(h("td", { class: i >= 6 ? "num" : null, "data-label": i ? COLUMN_LABELS[i] : null }));
  }
  const actions = h("td", { class: "actions" });
  const button = h("button", {
    type: "button", class: "icon-btn kebab", "aria-label": `Actions for ${c.name}`,
  }, h("span", { "aria-hidden": "true" }, "⋮"));
  menu.attach(button, () => {
    const current = rows.get(tr.dataset.id)?.connector ?? c;
    return { connector: current, name: current.name, href: detailHref(current), button };
  });
  actions.append(button);
  tr.append(actions);
  return tr;
}

function announceChanges(changes) {
  if (!changes.length) return;
  const text = changes.length > 3
    ? `${changes.length} connectors changed status.`
    : changes.map(([name, status]) => `${name} is now ${STATUS_LABEL[status] ?? status}.`).join(" ");
  $("#announcer").textContent = text;
}

function render(page) {
  lastPage = page;
  const seen = new Set();
  const ordered = [];
  const changes = [];
  const shownItems = page.items.flatMap((c) => [c, ...(page.members?.[c.id] ?? [])]);
  for (const c of shownItems) {
    seen.add(c.id);
    let entry = rows.get(c.id);
    if (!entry) { entry = { tr: makeRow(c), connector: c }; rows.set(c.id, entry); }
    const shown = c.status;
    if (entry.shown && entry.shown !== shown) changes.push([c.name, shown]);
    entry.shown = shown;
    entry.connector = c;
    entry.tr.querySelector(".kebab")?.setAttribute("aria-label", `Actions for ${c.name}`);
    fillRow(entry.tr, c);
    entry.tr.classList.toggle("row-new", c.id === highlight);
    ordered.push(entry.tr);
  }
  for (const [id, entry] of rows) if (!seen.has(id)) { entry.tr.remove(); rows.delete(id); }
  announceChanges(changes);
  const current = [...tbody.children];
  if (current.length !== ordered.length || current.some((tr, i) => tr !== ordered[i])) {
    ordered.forEach((tr, i) => { if (tbody.children[i] !== tr) tbody.insertBefore(tr, tbody.children[i] ?? null); });
  }
  const empty = $("#empty-state");
  empty.hidden = page.total > 0;
  if (!page.total) {
    const filtered = state.q || state.provider || state.status;
    replace(empty, h("p", {}, filtered
      ? "No connector matches these filters."
      : "No connectors yet. Add one to start collecting inventory."));
  }
  const first = page.total ? page.offset + 1 : 0;
  const last = page.offset + page.items.length;
  setText(summary, page.total
    ? `Showing ${fmtNumber(first)}–${fmtNumber(last)} of ${fmtNumber(page.total)} connector${page.total === 1 ? "" : "s"}`
    : "0 connectors");
  $("#page-prev").disabled = page.offset <= 0;
  $("#page-next").disabled = last >= page.total;
  if (!window.__ccFirstRender && page.items.length) {
    window.__ccFirstRender = true;
    performance.mark("cc-table-rendered");
  }
}

async function load() {
  const seq = ++requestSeq;
  const page = await withMembers(await api("GET", listPath()));
  if (seq !== requestSeq) return; // a newer request (filter change) has won
  if (page.offset > 0 && page.items.length === 0 && page.total > 0) {
    state.offset = Math.max(0, Math.floor((page.total - 1) / config.pageSize) * config.pageSize);
    writeQuery();
    return load();
  }
  render(page);
}

function applyFilters() {
  const data = new FormData(filters);
  state = { ...state, q: String(data.get("q") ?? "").trim(),
    provider: String(data.get("provider") ?? ""), status: String(data.get("status") ?? ""), offset: 0 };
  writeQuery();
  load().catch((error) => toast(error.message, "error"));
}

async function refresh(connector, button) {
  try {
    const answer = await api("POST", `/connectors/${encodeURIComponent(connector.id)}/refresh`);
    const entry = rows.get(connector.id);
    if (entry) { entry.connector = answer.connector; fillRow(entry.tr, answer.connector); }
    toast(answer.queued
      ? `Refreshing ${connector.name}. The status updates here when the poll finishes.`
      : `${connector.name} is already refreshing; no second poll was started.`);
  } catch (error) {
    toast(`Refresh failed: ${error.message}`, "error");
  }
  button?.focus();
}

const menu = new RowMenu($("#row-menu"), (action, context) => {
  if (action === "refresh") refresh(context.connector, context.button);
  else if (action === "edit") editDialog.open(context.connector, context.button);
  else if (action === "delete") deleteDialog.open(context.connector, context.button);
});

let editDialog = null;
let deleteDialog = null;
if (config.canWrite) {
  const drawer = new NewConnectorDrawer($("#new-connector-drawer"), {
    frequency: config.frequency,
    onCreated: async (created) => {
      highlight = created.id;
      toast(`${created.name} was added. It stays Pending until its first poll finishes.`);
      await load();
      if (!rows.has(created.id)) {
        const tr = makeRow(created);
        rows.set(created.id, { tr, connector: created });
        fillRow(tr, created);
        tr.classList.add("row-new");
        tbody.prepend(tr);
      }
      rows.get(created.id)?.tr.querySelector(".row-link")?.focus();
    },
  });
  $("#new-connector").addEventListener("click", () => drawer.open());
  editDialog = new EditDialog($("#edit-dialog"), {
    frequency: config.frequency,
    onSaved: (saved) => { toast(`Saved ${saved.name}.`); load(); },
  });
  deleteDialog = new DeleteDialog($("#delete-dialog"), {
    onDeleted: (gone) => { toast(`${gone.name} was deleted.`); load(); },
  });
}

// Filters: search as you type (debounced), selects at once; Enter never reloads the page.
let debounce = null;
filters.addEventListener("submit", (event) => { event.preventDefault(); applyFilters(); });
$("#filter-q").addEventListener("input", () => { clearTimeout(debounce); debounce = setTimeout(applyFilters, 250); });
$("#filter-provider").addEventListener("change", applyFilters);
$("#filter-status").addEventListener("change", applyFilters);
$("#page-prev").addEventListener("click", () => {
  state.offset = Math.max(0, state.offset - config.pageSize); writeQuery(); load();
});
$("#page-next").addEventListener("click", () => {
  state.offset += config.pageSize; writeQuery(); load();
});

for (const th of document.querySelectorAll("th[data-sort]")) {
  th.querySelector("button").addEventListener("click", () => {
    const key = th.dataset.sort;
    state = { ...state, order: state.sort === key && state.order === "asc" ? "desc" : "asc", sort: key, offset: 0 };
    showSort();
    writeQuery();
    load().catch((error) => toast(error.message, "error"));
  });
}
showSort();

$("#filter-q").value = state.q;
$("#filter-provider").value = state.provider;
$("#filter-status").value = state.status;

const initial = readJson("initial-page");
if (initial && initial.offset === state.offset) {
  render(initial);
  if (initial.items.some((c) => c.kind === "organization")) load().catch(() => {});
} else load().catch((error) => { summary.textContent = `Could not load connectors: ${error.message}`; });

let offline = false;
every(POLL_MS, async () => {
  try {
    await load();
    offline = false;
  } catch (error) {
    if (!offline) setText(summary, `Live updates paused: ${error.message}. Retrying…`);
    offline = true;
  }
});
// Keep relative times ("2 minutes ago") honest between polls.
setInterval(() => lastPage && render(lastPage), 30_000);
document.body.dataset.ready = "true"; // tests and the benchmark wait for this
