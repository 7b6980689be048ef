// One connector's report against one framework: score and trend, controls with their status,
// the failing resources of a control, and every finding of one resource.
import { api, ApiError } from "./api.js";
import { $, $$, h, readJson, replace } from "./dom.js";
import {
  controlStatusChip, exportReport, passFailBar, refreshReports, scoreCell, sparkline,
} from "./compliance.js";
import { fmtDate, fmtNumber, ident, timeCell } from "./format.js";

const config = readJson("page-config");
const ORDER = { fail: 0, not_evaluated: 1, manual: 2, pass: 3, not_applicable: 4 };
const SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3, informational: 4 };
const dialog = $("#resource-dialog");
let report = null;
let rules = new Map(); // rule ID -> {title, severity, rationale, remediation} from GET /rules
let opener = null;

// The project (GCP) or subscription (Azure) the report is read for, kept in the URL.
let account = new URLSearchParams(location.search).get("account") || null;
const query = () => {
  const params = new URLSearchParams({ connector: config.connectorId, framework: config.frameworkId });
  if (account) params.set("account", account);
  return params;
};

// One option per project of the latest evaluation; hidden for a single-account connector.
function renderAccounts() {
  const accounts = report?.accounts ?? [];
  const field = $("#r-account-field");
  field.hidden = accounts.length === 0;
  const select = $("#r-account");
  const all = select.options[0];
  replace(select, all, ...accounts.map((a) => h("option", { value: a }, a)));
  select.value = account ?? "";
}
const plural = (n, one, many = `${one}s`) => `${fmtNumber(n)} ${n === 1 ? one : many}`;

function showNote(text, error = false) {
  const note = $("#r-note");
  note.hidden = !text;
  note.textContent = text ?? "";
  note.classList.toggle("note-error", error);
}

function renderSummary() {
  const r = report;
  const results = r.results ?? {};
  const byStatus = r.controls_by_status ?? {};
  const fw = r.framework ?? {};
  $("#r-framework").textContent = `${fw.name ?? config.frameworkId}${fw.version ? ` v${fw.version}` : ""}`;
  $("#r-crumb").textContent = fw.name ?? config.frameworkId;
  const trend = (r.trend ?? []).map((p) => ({ at: p.evaluated_at ?? p.at, score: p.score }));
  replace($("#r-summary"), h("div", { class: "r-stats" },
    h("div", { class: "stat stat-score" }, h("p", { class: "stat-label" }, "Score"),
      h("p", { class: "stat-value" }, scoreCell(r.score))),
    h("div", { class: "stat stat-wide" }, h("p", { class: "stat-label" }, "Automated results"),
      passFailBar({ passed: results.pass ?? 0, failed: results.fail ?? 0,
        manual: results.manual ?? 0, not_applicable: results.not_applicable ?? 0 })),
    h("div", { class: "stat" }, h("p", { class: "stat-label" }, "Controls"),
      h("ul", { class: "status-counts" }, ["fail", "not_evaluated", "manual", "pass", "not_applicable"].map((s) =>
        h("li", {}, controlStatusChip(s), " ", h("strong", {}, fmtNumber(byStatus[s] ?? 0)))))),
    h("div", { class: "stat" }, h("p", { class: "stat-label" }, "Last evaluation"),
      h("p", { class: "stat-value-small" }, timeCell(r.evaluated_at, "never"))),
    h("div", { class: "stat" }, h("p", { class: "stat-label" }, "Trend"),
      sparkline(trend, { width: 160, height: 36 }))));
}

function resourceLabel(f) {
  return f.resource_name || f.resource_id;
}

function failingTable(control) {
  const where = report.accounts?.length ? (report.provider === "azure" ? "Subscription" : "Project") : null;
  return h("table", { class: "data compact failing reflow" },
    h("caption", { class: "visually-hidden" }, `Resources failing control ${control.id}`),
    h("thead", {}, h("tr", {},
      ["Resource", "Type", ...(where ? [where] : []), "Region", "Reason", "First seen", "Last seen"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, [...control.failing]
      .sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9))
      .map((f) => h("tr", {},
        h("td", {}, h("button", { type: "button", class: "link-btn", dataset: { resource: f.resource_key },
          "aria-label": `All findings of ${resourceLabel(f)}` }, resourceLabel(f))),
        h("td", { "data-label": "Type" }, ident(f.resource_type)),
        where ? h("td", { "data-label": where }, f.account ?? "all") : null,
        h("td", { "data-label": "Region" }, f.region),
        h("td", { class: "reason", "data-label": "Reason" }, f.reason),
        h("td", { "data-label": "First seen" }, timeCell(f.first_seen, "—")),
        h("td", { "data-label": "Last seen" }, timeCell(f.last_seen, "—"))))));
}

// What a rule checks, why it matters and how to fix it (the same text as the HTML export).
function ruleExplained(id, withFix) {
  const rule = rules.get(id);
  if (!rule) return h("p", { class: "help" }, "Checked by ", h("code", {}, id));
  return h("div", { class: "rule-explained" },
    h("p", { class: "rule-head" }, h("strong", {}, rule.title), " ",
      h("span", { class: `sev sev-${rule.severity}` }, rule.severity), " ",
      h("span", { class: "muted small" }, "rule ", h("code", {}, id))),
    rule.rationale ? h("p", {}, h("span", { class: "label" }, "Why: "), rule.rationale) : null,
    withFix && rule.remediation
      ? h("p", { class: "fix" }, h("span", { class: "label" }, "How to fix: "), rule.remediation) : null);
}

function controlItem(control) {
  const failing = control.failing ?? [];
  const counts = control.status === "fail"
    ? plural(failing.length || control.failed, "failing resource")
    : control.status === "pass" ? plural(control.passed, "resource passes", "resources pass")
      : control.status === "manual" ? "check by hand"
        : control.status === "not_evaluated" ? "could not be read" : "nothing to check";
  const details = h("details", { class: `control control-${control.status}`, dataset: { control: control.id } },
    h("summary", {},
      h("span", { class: "control-id" }, control.id),
      h("span", { class: "control-title" }, control.title,
        control.section ? h("span", { class: "control-section muted" }, control.section) : null),
      h("span", { class: "control-counts muted" }, counts),
      controlStatusChip(control.status)));
  const body = [];
  if (failing.length) body.push(failingTable(control));
  else if (control.status === "fail") body.push(h("p", { class: "muted" }, `${plural(control.failed, "result")} failed.`));
  if (control.notes?.length) body.push(h("ul", { class: "notes" }, control.notes.map((n) => h("li", {}, n))));
  for (const id of control.rules ?? []) body.push(ruleExplained(id, control.status !== "pass"));
  if (control.rules?.length && control.automated === false) {
    body.push(h("p", { class: "help" }, "Partly checked by hand."));
  }
  if (!body.length) body.push(h("p", { class: "muted" }, "No automated check: review this control by hand."));
  details.append(h("div", { class: "control-body" }, body));
  return details;
}

const controlCounts = (controls) => {
  const n = { fail: 0, manual: 0, pass: 0, not_applicable: 0 };
  for (const c of controls) n[c.status] = (n[c.status] ?? 0) + 1;
  return n;
};

// One group per benchmark section, each with a small bar of its controls by status: sections
// with failures first, then those with manual checks, each in benchmark order; inside a
// section, failing controls first.
function renderControls() {
  const filter = $("#r-filter").value;
  const all = report.controls ?? [];
  const controls = all.filter((c) => !filter || c.status === filter);
  const open = new Set($$("details.control[open]").map((d) => d.dataset.control));
  const sections = new Map();
  for (const c of controls) {
    const name = c.section || "Other controls";
    if (!sections.has(name)) sections.set(name, []);
    sections.get(name).push(c);
  }
  const firstIndex = new Map(all.map((c, i) => [c.section || "Other controls", i]).reverse());
  const rank = (list) => { const n = controlCounts(list); return n.fail ? 0 : n.manual ? 1 : 2; };
  const ordered = [...sections].sort(([a, ca], [b, cb]) => rank(ca) - rank(cb)
    || firstIndex.get(a) - firstIndex.get(b));
  replace($("#r-controls"), controls.length
    ? ordered.map(([name, list]) => {
      const n = controlCounts(list);
      return h("section", { class: "control-section-group", "aria-label": name },
        h("header", { class: "section-head" },
          h("h3", {}, name),
          passFailBar({ passed: n.pass, failed: n.fail, manual: n.manual, not_applicable: n.not_applicable })),
        [...list].sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9)).map((c) => {
          const d = controlItem(c);
          if (open.has(c.id)) d.open = true;
          return d;
        }));
    })
    : h("p", { class: "empty-state" }, "No control has this status."));
  $("#r-count").textContent = `${plural(controls.length, "control")} shown of ${fmtNumber(all.length)}, in ${plural(ordered.length, "section")}.`;
}

function findingsOf(key) {
  const found = [];
  for (const c of report.controls ?? []) {
    for (const f of c.failing ?? []) if (f.resource_key === key) found.push({ control: c, finding: f });
  }
  return found;
}

async function openResource(key, button) {
  const found = findingsOf(key);
  if (!found.length) return;
  opener = button;
  const first = found[0].finding;
  $("#resource-title").textContent = resourceLabel(first);
  // Findings from the API when it offers them (any framework); the report's otherwise.
  let extra = null;
  try {
    const params = new URLSearchParams({ connector: config.connectorId, resource: key });
    const answer = await api("GET", `/findings?${params}`);
    extra = (answer?.items ?? []).filter((f) => f.resource_key === key);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
  const rows = extra?.length
    ? extra.map((f) => ({ control: null, finding: f }))
    : found;
  replace($("#resource-body"),
    h("dl", { class: "facts" },
      h("dt", {}, "Type"), h("dd", {}, ident(first.resource_type)),
      h("dt", {}, "Region"), h("dd", {}, first.region),
      h("dt", {}, "Identifier"), h("dd", {}, h("code", { class: "wrap" }, first.resource_id))),
    h("h3", {}, plural(rows.length, "finding")),
    h("ul", { class: "findings" }, rows.map(({ control, finding: f }) => h("li", { class: "finding" },
      h("p", { class: "finding-head" },
        h("strong", {}, control ? `${control.id} ${control.title}` : rules.get(f.rule_id)?.title ?? f.rule_id),
        h("span", { class: `sev sev-${f.severity}` }, f.severity)),
      h("p", { class: "reason" }, f.reason),
      rules.get(f.rule_id)?.rationale
        ? h("p", {}, h("span", { class: "label" }, "Why: "), rules.get(f.rule_id).rationale) : null,
      rules.get(f.rule_id)?.remediation
        ? h("p", { class: "fix" }, h("span", { class: "label" }, "How to fix: "), rules.get(f.rule_id).remediation) : null,
      h("p", { class: "help" }, "Rule ", h("code", {}, f.rule_id), ` · ${f.state}`,
        " · first seen ", fmtDate(f.first_seen), " · last seen ", fmtDate(f.last_seen),
        f.times_reopened ? ` · reopened ${plural(f.times_reopened, "time")}` : "")))));
  dialog.showModal();
  $("[data-close]", dialog).focus();
}

async function loadRules(provider) {
  try {
    const answer = await api("GET", `/rules?${new URLSearchParams({ provider })}`);
    rules = new Map((answer.items ?? []).map((r) => [r.id, r]));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error; // the report reads without the texts
  }
}

// Export only where there is a report; Refresh reports only where the framework covers the
// connector's provider (a 422 says it does not: there is nothing to evaluate against).
function showActions(exportable, refreshable) {
  $(".export-group").hidden = !exportable;
  const refresh = $("#r-refresh");
  if (refresh) refresh.hidden = !refreshable;
}

async function load() {
  try {
    report = await api("GET", `/reports?${query()}`);
  } catch (error) {
    showActions(false, error instanceof ApiError && error.status !== 422 && !error.routeMissing);
    const missing = error instanceof ApiError && error.routeMissing;
    showNote(missing ? "Compliance reports are not available on this server yet."
      : error.status === 404 ? `${error.message}` : `The report could not be loaded: ${error.message}`,
    !missing && error.status !== 404);
    replace($("#r-summary"), h("p", { class: "muted" }, "No report to show."));
    replace($("#r-controls"));
    return;
  }
  showNote(null);
  showActions(true, true);
  await loadRules(report.provider);
  renderAccounts();
  renderSummary();
  renderControls();
}

$("#r-account").addEventListener("change", (event) => {
  account = event.target.value || null;
  const url = new URL(location.href);
  if (account) url.searchParams.set("account", account); else url.searchParams.delete("account");
  history.replaceState(null, "", url);
  load();
});

$("#r-filter").addEventListener("change", renderControls);
$("#r-controls").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-resource]");
  if (button) openResource(button.dataset.resource, button);
});
dialog.addEventListener("close", () => opener?.focus());
$("[data-close]", dialog).addEventListener("click", () => dialog.close());
dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
for (const button of $$("[data-export]")) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    await exportReport(config.connectorId, config.frameworkId, button.dataset.export, account);
    button.disabled = false;
  });
}
$("#r-refresh")?.addEventListener("click", async (event) => {
  const button = event.currentTarget;
  button.disabled = true;
  const ok = await refreshReports({ id: config.connectorId, name: config.connectorName });
  button.disabled = false;
  if (ok) setTimeout(load, 2000);
});

load().finally(() => { document.body.dataset.ready = "true"; });
