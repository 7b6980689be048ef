// Inline field errors: each message sits next to its field, in words, and is announced.
import { ApiError } from "./api.js";

const FIELD_NAMES = {
  name: "Name",
  run_frequency_minutes: "Run Frequency",
  "credentials.role_arn": "Role ARN",
  "credentials.external_id": "External ID",
  "credentials.service_account_key": "Service account key",
  "credentials.application_id": "Application (client) ID",
  "credentials.directory_id": "Directory (tenant) ID",
  "credentials.authentication_key": "Authentication Key",
  "credentials.subscription_id": "Subscription ID",
};

export function sentence(rule) {
  const text = String(rule).trim();
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

export function clearErrors(form) {
  for (const slot of form.querySelectorAll(".field-error")) slot.textContent = "";
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  const general = form.querySelector(".alert-error");
  if (general) { general.hidden = true; general.textContent = ""; }
}

function slotFor(form, field) {
  let best = null;
  for (const slot of form.querySelectorAll(".field-error[data-field]")) {
    if (slot.closest("[disabled]") || slot.closest("[hidden]")) continue;
    const key = slot.dataset.field;
    if ((field === key || field.startsWith(`${key}.`)) && (!best || key.length > best.dataset.field.length)) {
      best = slot;
    }
  }
  return best;
}

function inputFor(slot) {
  return slot.closest(".field")?.querySelector("input, select, textarea") ?? null;
}

// Show problems [{field, rule}] next to their fields; the rest go to the form's alert.
export function showProblems(form, problems, fallback) {
  const leftovers = [];
  let firstInput = null;
  for (const { field, rule } of problems) {
    const slot = slotFor(form, field);
    if (!slot) { leftovers.push(`${FIELD_NAMES[field] ?? field}: ${rule}`); continue; }
    const extra = field !== slot.dataset.field ? `${field.split(".").pop()}: ` : "";
    const message = sentence(extra + rule);
    slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
    const input = inputFor(slot);
    if (input) { input.setAttribute("aria-invalid", "true"); firstInput ??= input; }
  }
  const general = form.querySelector(".alert-error");
  if ((leftovers.length || (!problems.length && fallback)) && general) {
    general.textContent = leftovers.length ? leftovers.map(sentence).join(" ") : fallback;
    general.hidden = false;
  }
  firstInput?.focus();
}

export function showApiError(form, error) {
  if (error instanceof ApiError) {
    if (error.status === 403) return showProblems(form, [], sentence(error.detail));
    return showProblems(form, error.problems, sentence(error.detail));
  }
  return showProblems(form, [], "The server could not be reached. Check your connection and try again.");
}

export function frequencyProblem(raw, limits) {
  const text = String(raw).trim();
  if (!text) return "Enter how often to poll, in minutes.";
  if (!/^\d+$/.test(text)) return "Enter a whole number of minutes.";
  const value = Number(text);
  if (value < limits.min) return `Must be at least ${limits.min} minutes; polling more often than hourly is not allowed.`;
  if (value > limits.max) return `Must be at most ${limits.max} minutes (one day).`;
  return null;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (value) => GUID.test(value.trim());
export const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

// Check the shape of a Google service-account key file before it leaves the browser.
export function serviceAccountProblem(key) {
  if (!key || typeof key !== "object" || Array.isArray(key)) return "The file is not a JSON object.";
  if (key.type !== "service_account") return 'This is not a service-account key: its "type" must be "service_account".';
  for (const field of ["project_id", "private_key", "client_email"]) {
    if (typeof key[field] !== "string" || !key[field].trim()) return `The key has no "${field}". Download a new JSON key for the service account.`;
  }
  if (!key.private_key.includes("BEGIN PRIVATE KEY")) return 'The "private_key" is not a PEM private key.';
  if (!key.client_email.includes("@")) return 'The "client_email" is not an e-mail address.';
  return null;
}

export async function readKeyFile(file) {
  if (!file) return { problem: "Choose the JSON key file you downloaded." };
  if (file.size > 64 * 1024) return { problem: "That file is too large to be a service-account key." };
  let key;
  try { key = JSON.parse(await file.text()); } catch {
    return { problem: "That file is not valid JSON. Choose the key file Google downloaded." };
  }
  const problem = serviceAccountProblem(key);
  return problem ? { problem } : { key };
}
