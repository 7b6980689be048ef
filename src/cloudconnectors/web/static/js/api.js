// Same-origin calls to /api/v1 with the session cookie; writes carry the CSRF token.

const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";

export class ApiError extends Error {
  constructor(status, body) {
    super(typeof body?.detail === "string" ? body.detail : `request failed (${status})`);
    this.status = status;
    this.detail = this.message;
    this.errors = Array.isArray(body?.errors) ? body.errors : [];
  }

  // A route that does not exist (yet) answers FastAPI's bare "Not Found".
  get routeMissing() {
    return (this.status === 404 && this.detail === "Not Found") || this.status === 405;
  }

  // Field problems: the structured list, or the "field: rule" of the detail line.
  get problems() {
    if (this.errors.length) return this.errors;
    const match = /^([\w.]+): (.+)$/.exec(this.detail);
    return match ? [{ field: match[1], rule: match[2] }] : [];
  }
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrfToken();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    const next = encodeURIComponent(location.pathname + location.search);
    location.assign(`/signin?next=${next}`);
    throw new ApiError(401, { detail: "Your session ended. Sign in again." });
  }
  let data = null;
  if (response.status !== 204) {
    const text = await response.text();
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = { detail: text };
    }
  }
  if (!response.ok) throw new ApiError(response.status, data ?? {});
  return data;
}

// Fetch a file-like answer (artifact download) as a Blob.
export async function download(path) {
  const response = await fetch(`/api/v1${path}`, { credentials: "same-origin" });
  if (!response.ok) {
    let body = {};
    try { body = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, body);
  }
  const disposition = response.headers.get("content-disposition") ?? "";
  const match = /filename="?([^";]+)"?/.exec(disposition);
  return { blob: await response.blob(), filename: match ? match[1] : null };
}
