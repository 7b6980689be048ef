// The connector page: status with an explanation, regions, counts, runs, error, diagnostics.
import { api, ApiError } from "./api.js";
import { $, h, readJson, replace, replaceIfChanged, toast } from "./dom.js";
import { DeleteDialog, EditDialog } from "./edit_delete.js";
import { DISCOVERY_HELP, explainStatus } from "./explain.js";
import {
  discoveryBadge, duration, fmtDate, fmtNumber, ident, nextPollCell, PROVIDERS, statusBadge, timeCell,
} from "./format.js";
import { every, POLL_MS } from "./live.js";
import { reportHref } from "./compliance.js";

const config = readJson("page-config");
let connector = readJson("initial-connector");
let runs = null; // null: not available on this server
let diagnostics = null; // the last /diagnostics answer: the provider's own advice
let lastKey = "";
const path = `/connectors/${encodeURIComponent(connector.id)}`;

const unavailable = (what) => h("p", { class: "note" }, `${what}: not available yet on this server.`);
const failed = (what, error) => h("p", { class: "note note-error" }, `${what} could not be loaded: ${error.message}`);

async function optional(subpath, what, target, draw) {
  try {
    const data = await api("GET", `${path}${subpath}`);
    draw(data);
    return data;
  } catch (error) {
    if (target) replace(target, error instanceof ApiError && error.routeMissing ? unavailable(what) : failed(what, error));
    return undefined;
  }
}

function fact(term, ...value) {
  return [h("dt", {}, term), h("dd", {}, ...value)];
}

function renderHead() {
  const c = connector;
  const status = c.status;
  replace($("#c-badge"), statusBadge(status));
  $("#c-name").textContent = c.name;
  const creds = c.credentials ?? {};
  const where = creds.account_id ? `account ${creds.account_id}` : creds.project_id
    ? `project ${creds.project_id}` : creds.subscription_id ? `subscription ${creds.subscription_id}` : "";
  $("#c-sub").textContent = [PROVIDERS[c.provider]?.long ?? c.provider, where].filter(Boolean).join(" · ");
  replace($("#c-facts"),
    fact("Status", statusBadge(status)),
    fact("Discovery", discoveryBadge(c.discovery), h("span", { class: "muted small block" }, DISCOVERY_HELP[c.discovery ?? "null"])),
    fact("Last poll", timeCell(c.last_run_at, "Never")),
    fact("Next poll", nextPollCell(c.next_run_at, status, c.refresh_queued)),
    fact("Run frequency", `every ${c.run_frequency_minutes} minutes`),
    fact("Inventory", c.inventory === "full" ? "Full: every resource type and detail"
      : "What the compliance rules read"),
    fact("Virtual machines", fmtNumber(c.vm_count)),
    fact("Resources", fmtNumber(c.asset_count)),
    fact("Created", fmtDate(c.created_at)),
    ...(creds.role_arn ? fact("Role ARN", ident(creds.role_arn)) : []),
    ...(creds.external_id ? fact("External ID", h("code", { class: "one-line" }, creds.external_id)) : []),
    ...(creds.client_email ? fact("Service account", ident(creds.client_email)) : []),
    ...(creds.application_id ? fact("Application ID", h("code", { class: "one-line" }, creds.application_id)) : []));
  const { tone, lines } = explainStatus({ ...c, status }, runs, config.pendingGraceMinutes, diagnostics);
  replaceIfChanged($("#c-explain"), `${tone}|${lines.join("|")}`,
    h("div", { class: `alert alert-${tone}` }, lines.map((l) => h("p", {}, l))));
  replace($("#c-error"), c.last_error
    ? h("div", { class: "alert alert-error" }, h("p", { class: "error-text" }, c.last_error))
    : h("p", { class: "muted" }, c.status === "offline" ? "The poll failed without a message." : "None. The last poll did not fail."));
  replace($("#c-regions"), c.regions?.length
    ? h("ul", { class: "chips" }, c.regions.map((r) => h("li", { class: "chip" }, r)))
    : h("p", { class: "muted" }, "No region discovered yet."));
}

function countsTable(caption, label, entries) {
  if (!entries.length) return h("p", { class: "muted" }, "Nothing collected yet.");
  return h("table", { class: "data compact" },
    h("caption", { class: "visually-hidden" }, caption),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, label), h("th", { scope: "col", class: "num" }, "Count"))),
    h("tbody", {}, entries.map(([k, n]) => h("tr", {}, h("td", {}, ident(k)), h("td", { class: "num" }, fmtNumber(n))))));
}

// Accept {"by_type": {k: n}} or {"by_type": [{type, count}]} (and the same for regions).
export function pairs(value, keyName) {
  if (!value) return [];
  const list = Array.isArray(value) ? value.map((x) => [x[keyName] ?? x.key ?? x.name, x.count ?? x.total ?? 0])
    : Object.entries(value);
  return list.sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
}

function renderSummary(data) {
  replace($("#c-types"), countsTable("Resources by type", "Type", pairs(data.by_type ?? data.types, "type")));
  replace($("#c-byregion"), countsTable("Resources by region", "Region", pairs(data.by_region ?? data.regions, "region")));
}

const OUTCOME_LABEL = { ok: "OK", partial: "Partial", denied: "Denied", throttled: "Throttled", failed: "Failed", skipped: "Skipped" };
const OUTCOMES = ["failed", "denied", "throttled", "partial", "skipped", "ok"]; // problems first
const problemsOf = (results) => results.filter((r) => r.outcome !== "ok");

function outcomeChips(counts) {
  return h("span", { class: "outcome-counts" }, OUTCOMES.filter((o) => counts[o]).map((o) =>
    h("span", { class: `outcome outcome-${o}` }, `${fmtNumber(counts[o])} ${OUTCOME_LABEL[o].toLowerCase()}`)));
}

// withPlace: "Region" or "Project" to show that column, null to leave it out.
function resultsTable(caption, results, withPlace) {
  const ordered = [...results].sort((a, b) => OUTCOMES.indexOf(a.outcome) - OUTCOMES.indexOf(b.outcome)
    || String(a.service).localeCompare(String(b.service)));
  const heads = [...(withPlace ? [withPlace] : []), "Service", "Resource type", "Outcome", "Count", "Reason"];
  return h("table", { class: "data compact results reflow" },
    h("caption", { class: "visually-hidden" }, caption),
    h("thead", {}, h("tr", {}, heads.map((t) => h("th", { scope: "col", class: t === "Count" ? "num" : null }, t)))),
    h("tbody", {}, ordered.map((r) => h("tr", { class: r.outcome !== "ok" ? "row-problem" : null },
      withPlace ? h("td", { "data-label": withPlace }, r.account ?? r.region) : null,
      h("td", { "data-label": "Service" }, r.service),
      h("td", { "data-label": "Resource type" }, ident(r.resource_type)),
      h("td", { "data-label": "Outcome" }, h("span", { class: `outcome outcome-${r.outcome}` }, OUTCOME_LABEL[r.outcome] ?? r.outcome)),
      h("td", { class: "num", "data-label": "Count" }, fmtNumber(r.count)),
      h("td", { "data-label": "Reason" }, [r.reason, r.permission ? ident(r.permission) : null].filter(Boolean))))));
}

// One run: its problems first, then one closed line per region with its outcome counts; the
// service-by-service rows of a region open on demand.
function runBody(run) {
  const results = run.results ?? [];
  const problems = problemsOf(results);
  const where = results.some((r) => r.account) ? "Project" : "Region"; // GCP reads projects
  const byRegion = new Map();
  for (const r of results) {
    const key = r.account ?? (r.region || "global");
    if (!byRegion.has(key)) byRegion.set(key, []);
    byRegion.get(key).push(r);
  }
  const regions = [...byRegion].sort(([a, ra], [b, rb]) => problemsOf(rb).length - problemsOf(ra).length
    || a.localeCompare(b));
  return [
    run.error ? h("p", { class: "alert alert-error" }, run.error) : null,
    run.warning ? h("p", { class: "alert alert-warn" }, run.warning) : null,
    unreadTable(run.unread ?? []),
    problems.length ? h("div", { class: "run-problems" },
      h("h3", { class: "run-sub" }, `Needs attention (${fmtNumber(problems.length)})`),
      resultsTable("What did not read fully", problems, where)) : null,
    regions.length ? h("h3", { class: "run-sub" }, `By ${where.toLowerCase()}`) : null,
    regions.length ? h("ul", { class: "region-list" }, regions.map(([region, rows]) => {
      const counts = {};
      for (const r of rows) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
      const details = h("details", { class: "region", dataset: { region } },
        h("summary", {}, h("span", { class: "region-name" }, region), outcomeChips(counts),
          h("span", { class: "muted small" }, `${fmtNumber(rows.reduce((n, r) => n + (r.count ?? 0), 0))} resources`)));
      // The service rows are built when the line is first opened: a closed page stays small.
      details.addEventListener("toggle", () => {
        if (details.open && !details.querySelector("table")) {
          details.append(resultsTable(`Per service in ${region}`, rows, null));
        }
      });
      return h("li", {}, details);
    })) : null,
  ];
}

// What the poll could not read: kept from an earlier poll, marked with its age, never judged.
function unreadTable(unread) {
  if (!unread.length) return null;
  const where = unread.some((u) => u.account) ? "Project" : "Region"; // GCP reads projects
  const heads = [where, "Resource type", "Kept", "As of", "Why"];
  return h("div", { class: "unread" },
    h("p", {}, h("strong", {}, "Not read in this poll. "),
      "These resources are kept as last read and marked stale; their compliance checks read "
      + "not evaluated until a poll reads them again."),
    h("table", { class: "data compact reflow" },
      h("caption", { class: "visually-hidden" }, "Scopes not read in this poll"),
      h("thead", {}, h("tr", {}, heads.map((t) => h("th", { scope: "col", class: t === "Kept" ? "num" : null }, t)))),
      h("tbody", {}, unread.map((u) => h("tr", { class: "row-problem", dataset: { unread: `${u.region}|${u.resource_type}` } },
        h("td", { "data-label": where }, u.account ? `${u.account} · ${u.region}` : u.region),
        h("td", { "data-label": "Resource type" }, ident(u.resource_type)),
        h("td", { class: "num", "data-label": "Kept" }, fmtNumber(u.carried)),
        h("td", { "data-label": "As of" }, u.last_read_at ? ["as of ", timeCell(u.last_read_at, "")] : h("span", { class: "muted" }, "never read")),
        h("td", { "data-label": "Why" }, [u.reason, u.permission ? ident(u.permission) : null].filter(Boolean)))))));
}

function renderRuns(data) {
  runs = data.items ?? [];
  if (!runs.length) { replace($("#c-runs"), h("p", { class: "muted" }, "No poll has run yet.")); return; }
  const open = new Set([...document.querySelectorAll("details.run[open]")].map((d) => d.dataset.run));
  const openRegions = new Set([...document.querySelectorAll("details.region[open]")]
    .map((d) => `${d.closest("details.run")?.dataset.run}|${d.dataset.region}`));
  replace($("#c-runs"), runs.slice(0, 20).map((run, i) => {
    const details = h("details", { class: "run", dataset: { run: run.id }, open: open.size ? open.has(run.id) : i === 0 },
      h("summary", {},
        h("span", { class: `run-state run-${run.state}` }, run.state),
        h("span", {}, fmtDate(run.started_at)),
        h("span", { class: "muted" }, `${run.trigger ?? ""} · ${duration(run.started_at, run.finished_at)} · ${fmtNumber(run.asset_count)} resources · ${fmtNumber(run.vm_count)} VMs · ${(run.regions ?? []).length} regions`),
        problemsOf(run.results ?? []).length
          ? h("span", { class: "chip chip-access-missing" }, `${problemsOf(run.results ?? []).length} problems`) : null),
      runBody(run));
    for (const region of details.querySelectorAll("details.region")) {
      if (openRegions.has(`${run.id}|${region.dataset.region}`)) region.open = true;
    }
    return details;
  }));
}

function renderDiagnostics(data) {
  diagnostics = data;
  const items = data.items ?? [];
  if (!items.length) {
    replace($("#c-diagnostics"), h("p", { class: "muted" }, "No checks yet: they are filled in by the first poll."));
    return;
  }
  const icon = { granted: "✓", missing: "✕", unknown: "?" };
  const list = (entries) => h("ul", { class: "checklist" }, entries.map((item) => h("li", { class: `check check-${item.access}` },
    h("span", { class: "check-icon", "aria-hidden": "true" }, icon[item.access] ?? "?"),
    h("div", {},
      h("p", { class: "check-title" }, item.title, " ",
        h("span", { class: "visually-hidden" }, `(${item.access})`),
        h("span", { class: `chip chip-access-${item.access}` }, item.access)),
      item.detail ? h("p", { class: "muted" }, item.detail) : null,
      item.denied?.length ? h("p", {}, "Denied: ", item.denied.map((d, i) => [i ? ", " : "", ident(d)])) : null,
      item.access !== "granted" && item.fix ? h("p", { class: "fix" }, h("strong", {}, "Fix: "), item.fix) : null,
      item.policy ? h("details", {}, h("summary", {}, item.policy.project ? "Details" : "Policy to attach"),
        h("pre", {}, JSON.stringify(item.policy, null, 2))) : null))));
  // Items naming a project (GCP) are grouped per project, problems first within each.
  const projects = [...new Set(items.map((item) => item.policy?.project).filter(Boolean))];
  if (!projects.length) { replace($("#c-diagnostics"), list(items)); return; }
  const rank = { missing: 0, unknown: 1, granted: 2 };
  replace($("#c-diagnostics"), h("div", {}, projects.map((project) => {
    const mine = items.filter((item) => item.policy?.project === project)
      .sort((a, b) => (rank[a.access] ?? 1) - (rank[b.access] ?? 1));
    const missing = mine.filter((item) => item.access === "missing").length;
    const open = mine.filter((item) => item.access !== "granted");
    const fine = mine.filter((item) => item.access === "granted");
    return h("section", { class: "checklist-project" },
      h("h3", {}, `Project ${project}`, " ", h("span", { class: "muted" }, missing ? `${missing} to fix` : "nothing to fix")),
      open.length ? list(open) : null,
      fine.length ? h("details", {}, h("summary", {}, `${fine.length} checks passed`), list(fine)) : null);
  })));
}

async function loadDetails() {
  await Promise.all([
    optional("/runs?limit=20", "Run history", $("#c-runs"), renderRuns),
    optional("/diagnostics", "The setup checklist", $("#c-diagnostics"), renderDiagnostics),
    optional("/inventory/summary", "The inventory summary", null, renderSummary).then((data) => {
      if (data === undefined) {
        const fallback = { by_type: connector.vm_count ? { "Virtual machines": connector.vm_count } : {}, by_region: {} };
        renderSummary(fallback);
        $("#c-byregion").prepend(unavailable("Counts by region"));
      }
    }),
  ]);
  renderHead();
}

async function poll() {
  try {
    connector = await api("GET", path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && !error.routeMissing) {
      replace($("#main"), h("div", { class: "empty-state" },
        h("h1", {}, "This connector was deleted"),
        h("p", {}, h("a", { class: "btn btn-secondary", href: "/compliance/reports/connectors" }, "Back to connectors"))));
      stop();
    }
    throw error;
  }
  renderHead();
  const key = `${connector.status}|${connector.last_run_at}|${connector.updated_at}`;
  if (key !== lastKey) { lastKey = key; await loadDetails(); }
}

const refreshButton = $("#c-refresh");
refreshButton?.addEventListener("click", async () => {
  refreshButton.disabled = true;
  try {
    const answer = await api("POST", `${path}/refresh`);
    connector = answer.connector;
    renderHead();
    toast(answer.queued ? "Refresh requested. This page updates when the poll finishes." : "A poll is already running; no second one was started.");
  } catch (error) {
    toast(`Refresh failed: ${error.message}`, "error");
  } finally {
    refreshButton.disabled = false;
  }
});

if (config.canWrite) {
  const edit = new EditDialog($("#edit-dialog"), {
    frequency: config.frequency,
    onSaved: (saved) => { connector = saved; renderHead(); toast(`Saved ${saved.name}.`); },
  });
  const remove = new DeleteDialog($("#delete-dialog"), {
    onDeleted: () => location.assign("/compliance/reports/connectors"),
  });
  $("#c-edit").addEventListener("click", (event) => edit.open(connector, event.currentTarget));
  $("#c-delete").addEventListener("click", (event) => remove.open(connector, event.currentTarget));
}

renderHead();
lastKey = `${connector.status}|${connector.last_run_at}|${connector.updated_at}`;
loadDetails();
const stop = every(POLL_MS, poll);
document.body.dataset.ready = "true"; // tests and the benchmark wait for this

// Links to this connector's report for each framework that covers its provider.
async function loadFrameworks() {
  const target = $("#c-reports");
  try {
    const answer = await api("GET", "/frameworks");
    const mine = (answer.items ?? []).filter((f) => !f.provider || f.provider === connector.provider);
    replace(target, mine.length
      ? h("ul", { class: "report-links" }, mine.map((f) => h("li", {},
        h("a", { href: reportHref(connector.id, f.id) }, `${f.name}${f.version ? ` v${f.version}` : ""}`),
        h("span", { class: "muted" }, ` · ${f.controls} controls`))))
      : h("p", { class: "muted" }, `No framework covers ${PROVIDERS[connector.provider]?.long ?? connector.provider} connectors in this version yet.`));
  } catch (error) {
    replace(target, error instanceof ApiError && error.routeMissing ? unavailable("Compliance reports") : failed("Compliance reports", error));
  }
}
loadFrameworks();
