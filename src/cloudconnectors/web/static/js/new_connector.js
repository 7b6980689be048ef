// The New Connector drawer: pick a provider, the fields change, Add Connector creates it.
import { api, ApiError, download } from "./api.js";
import { $, $$, copyText, saveBlob } from "./dom.js";
import {
  clearErrors, frequencyProblem, isGuid, readKeyFile, ROLE_ARN, showApiError, showProblems,
} from "./forms.js";

const ARTIFACT_FILES = {
  "trust-policy": "cloudconnectors-trust-policy.json",
  "custom-policy": "cloudconnectors-custom-policy.json",
  "eks-policy": "cloudconnectors-eks-fargate-policy.json",
  cloudformation: "cloudconnectors-role.yaml",
};

export class NewConnectorDrawer {
  constructor(dialog, { frequency, onCreated }) {
    this.dialog = dialog;
    this.form = $("form", dialog);
    this.frequency = frequency;
    this.onCreated = onCreated;
    this.issued = null; // {external_id, platform_account_id} for this opening of the form
    this.gcpKey = null;
    for (const radio of $$('input[name="provider"]', this.form)) {
      radio.addEventListener("change", () => this.#choose(radio.value));
    }
    for (const button of $$("[data-close]", this.form)) button.addEventListener("click", () => this.close());
    for (const button of $$("[data-copy]", this.form)) {
      button.addEventListener("click", () => this.#copy(button));
    }
    for (const button of $$("[data-artifact]", this.form)) {
      button.addEventListener("click", () => this.#download(button.dataset.artifact));
    }
    $("#nc-gcp-key", this.form).addEventListener("change", () => this.#readKey());
    this.form.addEventListener("submit", (event) => { event.preventDefault(); this.#submit(); });
    dialog.addEventListener("click", (event) => { if (event.target === dialog) this.close(); });
  }

  open() {
    this.form.reset();
    clearErrors(this.form);
    this.issued = null;
    this.gcpKey = null;
    this.provider = null;
    for (const section of $$(".provider-fields", this.form)) section.hidden = true;
    for (const fs of $$("fieldset[data-provider]", this.form)) fs.disabled = true;
    $("#nc-choose-hint", this.form).hidden = false;
    $("#nc-submit", this.form).disabled = true;
    $("#nc-gcp-summary", this.form).hidden = true;
    this.dialog.showModal();
    $('input[name="provider"]', this.form).focus();
  }

  close() {
    this.dialog.close();
    document.getElementById("new-connector")?.focus();
  }

  #choose(provider) {
    this.provider = provider;
    clearErrors(this.form);
    $("#nc-choose-hint", this.form).hidden = true;
    $("#nc-common", this.form).hidden = false;
    $("#nc-frequency-block", this.form).hidden = false;
    for (const fs of $$("fieldset[data-provider]", this.form)) {
      const active = fs.dataset.provider === provider;
      fs.hidden = !active;
      fs.disabled = !active;
    }
    $("#nc-submit", this.form).disabled = false;
    if (provider === "aws" && !this.issued) this.#issueExternalId();
  }

  async #issueExternalId() {
    const note = $("#nc-aws-note", this.form);
    note.hidden = true;
    $("#nc-account-id", this.form).textContent = "…";
    $("#nc-external-id", this.form).textContent = "…";
    try {
      this.issued = await api("POST", "/providers/aws/external-ids");
      $("#nc-account-id", this.form).textContent = this.issued.platform_account_id ?? "—";
      $("#nc-external-id", this.form).textContent = this.issued.external_id;
    } catch (error) {
      note.hidden = false;
      note.textContent = error instanceof ApiError && error.routeMissing
        ? "Issuing External IDs is not available yet on this server, so an AWS connector cannot be added right now."
        : `We could not issue an External ID: ${error.message}`;
      $("#nc-account-id", this.form).textContent = "—";
      $("#nc-external-id", this.form).textContent = "—";
    }
  }

  async #copy(button) {
    const value = document.getElementById(button.dataset.copy).textContent.trim();
    if (!value || value === "…" || value === "—") return;
    const ok = await copyText(value);
    const label = button.textContent;
    button.textContent = ok ? "Copied" : "Copy failed";
    setTimeout(() => { button.textContent = label; }, 1500);
  }

  async #download(kind) {
    const note = $("#nc-artifact-note", this.form);
    note.hidden = true;
    if (!this.issued) {
      note.hidden = false;
      note.textContent = "The files include your External ID, which has not been issued yet.";
      return;
    }
    const query = new URLSearchParams({ external_id: this.issued.external_id });
    try {
      const { blob, filename } = await download(`/providers/aws/artifacts/${kind}?${query}`);
      saveBlob(blob, filename ?? ARTIFACT_FILES[kind]);
    } catch (error) {
      note.hidden = false;
      note.textContent = error instanceof ApiError && error.routeMissing
        ? "Downloads of this file are not available yet on this server."
        : `The download failed: ${error.message}`;
    }
  }

  async #readKey() {
    const input = $("#nc-gcp-key", this.form);
    const slot = $("#nc-gcp-key-error", this.form);
    const summary = $("#nc-gcp-summary", this.form);
    slot.textContent = "";
    input.removeAttribute("aria-invalid");
    summary.hidden = true;
    this.gcpKey = null;
    const { key, problem } = await readKeyFile(input.files[0]);
    if (problem) {
      slot.textContent = problem;
      input.setAttribute("aria-invalid", "true");
      return;
    }
    this.gcpKey = key;
    summary.textContent = `Service account ${key.client_email} in project ${key.project_id}.`;
    summary.hidden = false;
  }

  #collect() {
    const problems = [];
    const value = (id) => $(id, this.form).value.trim();
    const name = value("#nc-name");
    if (!name) problems.push({ field: "name", rule: "Give the connector a name." });
    const freqText = value("#nc-frequency");
    const freqProblem = frequencyProblem(freqText, this.frequency);
    if (freqProblem) problems.push({ field: "run_frequency_minutes", rule: freqProblem });
    let credentials = {};
    let projects = null;
    if (this.provider === "aws") {
      const roleArn = value("#nc-role-arn");
      if (!this.issued) problems.push({ field: "credentials.external_id", rule: "No External ID has been issued, so the role cannot be trusted yet." });
      if (!roleArn) problems.push({ field: "credentials.role_arn", rule: "Paste the ARN of the role you created." });
      else if (!ROLE_ARN.test(roleArn)) problems.push({ field: "credentials.role_arn", rule: "This is not an IAM role ARN; it looks like arn:aws:iam::111122223333:role/CloudConnectors." });
      credentials = { role_arn: roleArn, external_id: this.issued?.external_id ?? "" };
    } else if (this.provider === "gcp") {
      if (!this.gcpKey && !$("#nc-gcp-key-error", this.form).textContent) {
        problems.push({ field: "credentials.service_account_key", rule: "Choose the JSON key file you downloaded." });
      } else if (!this.gcpKey) {
        problems.push({ field: "credentials.service_account_key", rule: $("#nc-gcp-key-error", this.form).textContent });
      }
      credentials = { service_account_key: this.gcpKey };
      const ids = (id) => value(id).split(/[\s,]+/).filter(Boolean);
      const include = ids("#nc-gcp-include");
      const exclude = ids("#nc-gcp-exclude");
      if (include.length || exclude.length) projects = { include, exclude };
    } else if (this.provider === "azure") {
      const fields = [
        ["application_id", "#nc-az-app"], ["directory_id", "#nc-az-dir"],
        ["authentication_key", "#nc-az-key"], ["subscription_id", "#nc-az-sub"],
      ];
      for (const [field, id] of fields) {
        const v = field === "authentication_key" ? $(id, this.form).value : value(id);
        credentials[field] = v;
        if (!v.trim()) problems.push({ field: `credentials.${field}`, rule: "This field is required." });
        else if (field !== "authentication_key" && !isGuid(v)) problems.push({ field: `credentials.${field}`, rule: "Must be a GUID like 00000000-0000-0000-0000-000000000000." });
      }
    } else {
      problems.push({ field: "provider", rule: "Pick a cloud provider." });
    }
    const body = { name, provider: this.provider, run_frequency_minutes: Number(freqText), credentials };
    if (projects) body.projects = projects;
    return { body, problems };
  }

  async #submit() {
    clearErrors(this.form);
    const { body, problems } = this.#collect();
    if (problems.length) { showProblems(this.form, problems); return; }
    const submit = $("#nc-submit", this.form);
    submit.disabled = true;
    submit.textContent = "Adding…";
    try {
      const created = await api("POST", "/connectors", body);
      this.dialog.close();
      this.onCreated(created);
    } catch (error) {
      showApiError(this.form, error);
    } finally {
      submit.disabled = false;
      submit.textContent = "Add Connector";
    }
  }
}
