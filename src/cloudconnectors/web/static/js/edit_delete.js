// The Edit dialog (name, run frequency, rotate credentials) and the typed-name Delete dialog.
import { api } from "./api.js";
import { $, $$, h, replace } from "./dom.js";
import {
  clearErrors, frequencyProblem, isGuid, readKeyFile, ROLE_ARN, showApiError, showProblems,
} from "./forms.js";

function textField(id, name, label, { type = "text", help } = {}) {
  return h("div", { class: "field" },
    h("label", { for: id }, label),
    h("input", { id, name, type, autocomplete: "off", spellcheck: "false", "aria-describedby": `${id}-error` }),
    help ? h("p", { class: "help" }, help) : null,
    h("p", { class: "field-error", id: `${id}-error`, dataset: { field: `credentials.${name}` } }));
}

const ROTATE_FIELDS = {
  aws: () => [
    textField("rot-role-arn", "role_arn", "Role ARN", { help: "The External ID stays the same: it is fixed for the life of the connector." }),
  ],
  gcp: () => [
    h("div", { class: "field" },
      h("label", { for: "rot-gcp-key" }, "New service account key (JSON file)"),
      h("input", { id: "rot-gcp-key", type: "file", accept: "application/json,.json", "aria-describedby": "rot-gcp-key-error" }),
      h("p", { class: "field-error", id: "rot-gcp-key-error", dataset: { field: "credentials.service_account_key" } })),
  ],
  azure: () => [
    textField("rot-az-app", "application_id", "Application (client) ID"),
    textField("rot-az-dir", "directory_id", "Directory (tenant) ID"),
    textField("rot-az-key", "authentication_key", "Authentication Key", { type: "password" }),
    textField("rot-az-sub", "subscription_id", "Subscription ID"),
  ],
};

export class EditDialog {
  constructor(dialog, { frequency, onSaved }) {
    this.dialog = dialog;
    this.form = $("form", dialog);
    this.frequency = frequency;
    this.onSaved = onSaved;
    for (const b of $$("[data-close]", this.form)) b.addEventListener("click", () => this.close());
    this.form.addEventListener("submit", (event) => { event.preventDefault(); this.#submit(); });
  }

  open(connector, returnTo) {
    this.connector = connector;
    this.returnTo = returnTo;
    clearErrors(this.form);
    $("#edit-title", this.form).textContent = `Edit ${connector.name}`;
    $("#edit-name", this.form).value = connector.name;
    $("#edit-frequency", this.form).value = connector.run_frequency_minutes;
    $("#edit-rotate", this.form).open = false;
    replace($("#edit-credentials", this.form), ROTATE_FIELDS[connector.provider]?.() ?? []);
    this.dialog.showModal();
    $("#edit-name", this.form).focus();
  }

  close() {
    this.dialog.close();
    this.returnTo?.focus();
  }

  async #credentials(problems) {
    if (!$("#edit-rotate", this.form).open) return undefined;
    const value = (id) => $(id, this.form)?.value.trim() ?? "";
    const provider = this.connector.provider;
    if (provider === "aws") {
      const roleArn = value("#rot-role-arn");
      if (!roleArn) return undefined;
      if (!ROLE_ARN.test(roleArn)) problems.push({ field: "credentials.role_arn", rule: "This is not an IAM role ARN." });
      return { role_arn: roleArn };
    }
    if (provider === "gcp") {
      const file = $("#rot-gcp-key", this.form).files[0];
      if (!file) return undefined;
      const { key, problem } = await readKeyFile(file);
      if (problem) problems.push({ field: "credentials.service_account_key", rule: problem });
      return { service_account_key: key };
    }
    const creds = {
      application_id: value("#rot-az-app"), directory_id: value("#rot-az-dir"),
      authentication_key: $("#rot-az-key", this.form).value, subscription_id: value("#rot-az-sub"),
    };
    if (!Object.values(creds).some((v) => v.trim())) return undefined;
    for (const [field, v] of Object.entries(creds)) {
      if (!v.trim()) problems.push({ field: `credentials.${field}`, rule: "All four values are needed to rotate." });
      else if (field !== "authentication_key" && !isGuid(v)) problems.push({ field: `credentials.${field}`, rule: "Must be a GUID." });
    }
    return creds;
  }

  async #submit() {
    clearErrors(this.form);
    const problems = [];
    const changes = {};
    const name = $("#edit-name", this.form).value.trim();
    if (!name) problems.push({ field: "name", rule: "The name cannot be empty." });
    else if (name !== this.connector.name) changes.name = name;
    const freqText = $("#edit-frequency", this.form).value;
    const freqProblem = frequencyProblem(freqText, this.frequency);
    if (freqProblem) problems.push({ field: "run_frequency_minutes", rule: freqProblem });
    else if (Number(freqText) !== this.connector.run_frequency_minutes) changes.run_frequency_minutes = Number(freqText);
    const credentials = await this.#credentials(problems);
    if (credentials) changes.credentials = credentials;
    if (problems.length) { showProblems(this.form, problems); return; }
    if (!Object.keys(changes).length) { this.close(); return; }
    try {
      const saved = await api("PATCH", `/connectors/${encodeURIComponent(this.connector.id)}`, changes);
      this.close();
      this.onSaved(saved, changes);
    } catch (error) {
      showApiError(this.form, error);
    }
  }
}

export class DeleteDialog {
  constructor(dialog, { onDeleted }) {
    this.dialog = dialog;
    this.form = $("form", dialog);
    this.onDeleted = onDeleted;
    this.input = $("#delete-confirm", this.form);
    this.submit = $("#delete-submit", this.form);
    for (const b of $$("[data-close]", this.form)) b.addEventListener("click", () => this.close());
    this.input.addEventListener("input", () => {
      this.submit.disabled = this.input.value !== this.connector?.name;
      $("#delete-error", this.form).textContent = "";
    });
    this.form.addEventListener("submit", (event) => { event.preventDefault(); this.#submit(); });
  }

  open(connector, returnTo) {
    this.connector = connector;
    this.returnTo = returnTo;
    $("#delete-name", this.form).textContent = connector.name;
    $("#delete-aws-warning", this.form).hidden = connector.provider !== "aws";
    this.input.value = "";
    this.submit.disabled = true;
    $("#delete-error", this.form).textContent = "";
    this.dialog.showModal();
    this.input.focus();
  }

  close() {
    this.dialog.close();
    this.returnTo?.isConnected ? this.returnTo.focus() : document.getElementById("main")?.focus();
  }

  async #submit() {
    if (this.input.value !== this.connector.name) {
      $("#delete-error", this.form).textContent = "The name you typed does not match.";
      return;
    }
    this.submit.disabled = true;
    try {
      await api("DELETE", `/connectors/${encodeURIComponent(this.connector.id)}`);
      this.dialog.close();
      this.onDeleted(this.connector);
    } catch (error) {
      $("#delete-error", this.form).textContent = error.message;
      this.submit.disabled = false;
    }
  }
}
