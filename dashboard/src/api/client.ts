// The REST client: access token in memory only; the refresh token (the API
// returns it in the JSON body, not a cookie) in sessionStorage so a reload of
// the tab keeps the session but closing the tab ends it.
import type { components } from "./schema";

export type Schemas = components["schemas"];
export type User = Schemas["UserView"];
export type Session = Schemas["Session"];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
  /** The route does not exist on this server (an older version). */
  get unavailable(): boolean {
    return this.status === 404 && this.code === "NOT_FOUND" && /^route /.test(this.message);
  }
}

const REFRESH_KEY = "iron.refresh";
let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
let onSignedOut: () => void = () => {};

export function setSignedOutHandler(handler: () => void) {
  onSignedOut = handler;
}

export function hasRefreshToken(): boolean {
  return sessionStorage.getItem(REFRESH_KEY) !== null;
}

export function startSession(session: Session) {
  accessToken = session.access_token;
  sessionStorage.setItem(REFRESH_KEY, session.refresh_token);
}

export function endSession() {
  accessToken = null;
  sessionStorage.removeItem(REFRESH_KEY);
}

/** Trades the refresh token for a new pair; refresh tokens are single use. */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const token = sessionStorage.getItem(REFRESH_KEY);
    if (!token) return false;
    const res = await fetch("/api/v1/auth/refresh", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refresh_token: token }),
    });
    if (!res.ok) {
      endSession();
      return false;
    }
    startSession(await res.json());
    return true;
  })().finally(() => (refreshing = null));
  return refreshing;
}

/** Turns axum's body-deserialisation text ("...target type: budget_usd: ...") into a field error. */
function fieldsOf(message: string, fields: Record<string, string>): Record<string, string> {
  if (Object.keys(fields).length) return fields;
  const m = /target type: ([a-z_][a-z_.\d]*): (.*?)( at line \d+ column \d+)?$/.exec(message);
  return m ? { [m[1]]: m[2] } : {};
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = await res.json();
    const e = body.error;
    return new ApiError(res.status, e.code, e.message, fieldsOf(e.message, e.fields ?? {}));
  } catch {
    return new ApiError(res.status, "HTTP_" + res.status, `${res.status} ${res.statusText}`);
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function raw(method: string, path: string, body?: unknown, retry = true): Promise<Response> {
  const headers: Record<string, string> = {};
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401 && retry && !path.startsWith("/auth/")) {
    if (await refresh()) return raw(method, path, body, false);
    onSignedOut();
  }
  if (!res.ok) throw await errorOf(res);
  return res;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await raw(method, path, body);
  return res.status === 204 ? (undefined as T) : ((await res.json()) as T);
}

export const get = <T>(path: string, query?: Query) => api<T>("GET", withQuery(path, query));
export const post = <T>(path: string, body?: unknown) => api<T>("POST", path, body ?? {});
export const postNoBody = <T>(path: string) => api<T>("POST", path);
export const put = <T>(path: string, body: unknown) => api<T>("PUT", path, body);
export const patch = <T>(path: string, body: unknown) => api<T>("PATCH", path, body);
export const del = (path: string) => api<void>("DELETE", path);

/** Every page of a cursor-paginated list (admin lists are small). */
export async function all<T>(path: string, query: Query = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await get<{ items: T[]; next_cursor?: string | null }>(path, { ...query, cursor, limit: 100 });
    items.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return items;
}

export async function login(email: string, password: string): Promise<User> {
  const session = await api<Session>("POST", "/auth/login", { email, password });
  startSession(session);
  return session.user;
}

export async function register(body: Schemas["RegisterRequest"]): Promise<User> {
  const session = await api<Session>("POST", "/auth/register", body);
  startSession(session);
  return session.user;
}

export async function logout() {
  const token = sessionStorage.getItem(REFRESH_KEY);
  endSession();
  if (token) await api("POST", "/auth/logout", { refresh_token: token }).catch(() => {});
}
