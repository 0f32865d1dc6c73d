// The newsgraph.v1 API over the Connect protocol (unary calls, JSON): the same
// handlers, interceptors and token check as gRPC, through serve --http's transcoder.
// POST /newsgraph.v1.NewsGraphService/METHOD with the request as protojson; an error
// comes back as {"code": "not_found", "message": "..."} with a non-2xx status.

const service = "/newsgraph.v1.NewsGraphService/";
const tokenKey = "newsgraph.token";

// ApiError is a failed call: code is Connect's code ("not_found", "unauthenticated",
// "invalid_argument"...), message the server's text.
export class ApiError extends Error {
  constructor(method, code, message) {
    super(message);
    this.method = method;
    this.code = code;
  }
}

export function getToken() {
  return sessionStorage.getItem(tokenKey) || "";
}

export function setToken(t) {
  if (t) sessionStorage.setItem(tokenKey, t);
  else sessionStorage.removeItem(tokenKey);
}

// call sends one unary call and returns the response message as an object.
export async function call(method, request, timeoutMs = 20000) {
  const headers = {
    "Content-Type": "application/json",
    "Connect-Protocol-Version": "1",
    "Connect-Timeout-Ms": String(timeoutMs),
  };
  const token = getToken();
  if (token) headers.Authorization = "Bearer " + token;
  let resp;
  try {
    resp = await fetch(service + method, { method: "POST", headers, body: JSON.stringify(request || {}) });
  } catch (e) {
    throw new ApiError(method, "unavailable", "the server cannot be reached: " + e.message);
  }
  const text = await resp.text();
  let body = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { code: "unknown", message: text.slice(0, 300) || resp.statusText };
  }
  if (!resp.ok) {
    throw new ApiError(method, body.code || "unknown", body.message || resp.statusText);
  }
  return body;
}
