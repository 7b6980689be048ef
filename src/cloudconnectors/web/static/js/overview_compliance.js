// The Overview's compliance table: per connector and framework a pass/fail bar, the score,
// the last evaluation and the trend. A row opens the connector's report page.
import { api, ApiError } from "./api.js";
import { $, h, replace } from "./dom.js";
import {
  passFailBar, refreshReports, reportHref, scoreCell, sparkline,
} from "./compliance.js";
import { providerLabel, timeCell } from "./format.js";

const RELOAD_MS = 15_000;

export class ComplianceOverview {
  constructor({ canWrite, onItems = null }) {
    this.canWrite = canWrite;
    this.onItems = onItems; // told the summaries of each load (the headline charts them)
    this.select = $("#framework");
    this.body = $("#compliance-rows");
    this.note = $("#compliance-note");
    this.frameworks = [];
    this.select.addEventListener("change", () => {
      const url = new URL(location.href);
      url.searchParams.set("framework", this.select.value);
      history.replaceState(null, "", url);
      this.load();
    });
  }

  async start() {
    try {
      const answer = await api("GET", "/frameworks");
      this.frameworks = answer.items ?? [];
    } catch (error) {
      this.#unavailable(error, "Compliance frameworks");
      return;
    }
    if (!this.frameworks.length) {
      this.#message("No compliance framework is installed on this server.");
      return;
    }
    const wanted = new URL(location.href).searchParams.get("framework");
    replace(this.select, this.frameworks.map((f) => h("option", { value: f.id },
      `${f.name}${f.version ? ` v${f.version}` : ""}`)));
    this.select.value = this.frameworks.some((f) => f.id === wanted) ? wanted : this.frameworks[0].id;
    this.select.disabled = false;
    await this.load();
    setInterval(() => { if (!document.hidden) this.load(); }, RELOAD_MS);
  }

  get framework() {
    return this.frameworks.find((f) => f.id === this.select.value);
  }

  #describe() {
    const f = this.framework;
    if (!f) return;
    const automated = f.automated ?? f.automated_controls;
    const manual = f.manual ?? f.manual_controls;
    $("#framework-facts").textContent = [
      `${f.controls} controls`,
      automated !== undefined ? `${automated} automated` : null,
      manual ? `${manual} checked by hand` : null,
    ].filter(Boolean).join(" · ");
  }

  #unavailable(error, what) {
    this.note.hidden = false;
    this.note.textContent = error instanceof ApiError && error.routeMissing
      ? `${what} are not available on this server yet; the assets below are.`
      : `${what} could not be loaded: ${error.message}`;
    this.note.classList.toggle("note-error", !(error instanceof ApiError && error.routeMissing));
    this.#message("—");
  }

  #message(text) {
    replace(this.body, h("tr", {}, h("td", { colspan: this.canWrite ? 7 : 6, class: "empty-state" }, text)));
  }

  async load() {
    const frameworkId = this.select.value;
    this.#describe();
    let answer;
    try {
      answer = await api("GET", `/reports?framework=${encodeURIComponent(frameworkId)}`);
    } catch (error) {
      this.#unavailable(error, "Compliance reports");
      return;
    }
    this.note.hidden = true;
    if (frameworkId !== this.select.value) return; // the user picked another meanwhile
    const items = answer.items ?? [];
    this.onItems?.(items, frameworkId);
    if (!items.length) {
      this.#message("No connector has been evaluated against this framework yet. "
        + "Reports are computed after each successful poll.");
      return;
    }
    const key = JSON.stringify(items);
    if (this.body.dataset.key === key) return;
    this.body.dataset.key = key;
    replace(this.body, items.map((item) => this.#row(item, frameworkId)));
  }

  #row(item, frameworkId) {
    const href = reportHref(item.connector_id, frameworkId);
    const link = h("a", { href, class: "row-link" }, item.connector_name);
    const tr = h("tr", { class: "clickable", dataset: { id: item.connector_id } },
      h("th", { scope: "row" }, link),
      h("td", { "data-label": "Provider" }, providerLabel(item.provider)),
      h("td", { "data-label": "Results" }, passFailBar(item)),
      h("td", { class: "num", "data-label": "Score" }, scoreCell(item.score)),
      h("td", { "data-label": "Last evaluation" }, timeCell(item.evaluated_at, "not yet")),
      h("td", { "data-label": "Trend" }, sparkline(item.trend)));
    // The whole row opens the report for a mouse; the link is the keyboard's way in.
    tr.addEventListener("click", (event) => {
      if (event.target.closest("a, button")) return;
      location.assign(href);
    });
    if (this.canWrite) {
      const button = h("button", { type: "button", class: "btn btn-small btn-secondary",
        "aria-label": `Refresh reports for ${item.connector_name}` }, "Refresh reports");
      button.addEventListener("click", async () => {
        button.disabled = true;
        const ok = await refreshReports({ id: item.connector_id, name: item.connector_name });
        button.disabled = false;
        if (ok) setTimeout(() => this.load(), 2000);
      });
      tr.append(h("td", { class: "actions-wide" }, button));
    }
    return tr;
  }
}
