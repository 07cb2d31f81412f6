// Calls to the console port's JSON APIs with the session cookie. Every call that changes
// something carries the session's CSRF token (X-CSRF-Token), which only this page can read.

let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token;
}

export function currentCsrfToken() {
  return csrfToken;
}

/** One JSON call: resolves to { status, json } (json null when the answer is not JSON). */
export async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const response = await fetch(path, {
    method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text && response.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : null;
  return { status: response.status, json };
}

/** The message to show for a failed call: the server's own, else the status. */
export function failure(answer) {
  return answer.json?.message ?? answer.json?.error ?? "the request failed (HTTP " + answer.status + ")";
}
