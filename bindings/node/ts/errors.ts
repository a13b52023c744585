/**
 * Iron Cage errors and the one mapping from iron-core's error kind and
 * finer code to them. The gateway sends the same pair to the agent's HTTP
 * client (body `error.type` / `error.code`, header `x-iron-cage-error`);
 * the native addon tags its errors `[iron-cage:<kind>:<code>]`.
 */

export interface IronCageErrorOptions {
  /** The stable snake_case code (`budget_exceeded`, `pii_blocked`...). */
  code?: string;
  /** iron-core's error kind (`policy_violation` for `pii_blocked`). */
  kind?: string;
  /** The HTTP status the gateway answered with, when known. */
  status?: number;
  /** The original error (the client's `APIError`, the native error). */
  cause?: unknown;
}

/** Base of every Iron Cage error. */
export class IronCageError extends Error {
  static readonly defaultCode: string = 'internal_error';
  readonly code: string;
  readonly kind: string;
  readonly status: number | undefined;

  constructor(message: string, options: IronCageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const ctor = new.target as typeof IronCageError;
    this.name = ctor.name;
    this.code = options.code ?? ctor.defaultCode;
    this.kind = options.kind ?? this.code;
    this.status = options.status;
  }
}

/** Configuration Iron Cage refused at run time (e.g. a closed runtime used). */
export class ConfigError extends IronCageError {
  static override readonly defaultCode: string = 'invalid_config';
}

/** The budget cannot cover the call; nothing was sent to the provider. */
export class BudgetExceededError extends IronCageError {
  static override readonly defaultCode: string = 'budget_exceeded';
  /** USD spent by the runtime so far, when known. */
  spentUsd: number | undefined;
  /** The runtime's budget in USD, when known. */
  limitUsd: number | undefined;
}

/** The developer's `ic_` key was revoked or suspended by an admin. */
export class KeyRevokedError extends IronCageError {
  static override readonly defaultCode: string = 'key_revoked';
}

/** The project is paused by an admin. */
export class ProjectPausedError extends IronCageError {
  static override readonly defaultCode: string = 'project_paused';
}

/** A safety policy refused the call before it reached the provider. */
export class PolicyViolationError extends IronCageError {
  static override readonly defaultCode: string = 'policy_violation';
}

/** The prompt contained PII or a secret the policy blocks. */
export class PiiBlockedError extends PolicyViolationError {
  static override readonly defaultCode: string = 'pii_blocked';
}

/** The prompt was judged a prompt-injection attempt. */
export class PromptInjectionError extends PolicyViolationError {
  static override readonly defaultCode: string = 'prompt_injection';
}

/** A tool call was denied by the tool policy. */
export class ToolDeniedError extends PolicyViolationError {
  static override readonly defaultCode: string = 'tool_denied';
  /** The tool's name, when known. */
  tool: string | undefined;
  /** What refused it (`deny_list`, `path_traversal`...), when known. */
  rule: string | undefined;
}

/** The model is not on the allow list. */
export class ModelNotAllowedError extends PolicyViolationError {
  static override readonly defaultCode: string = 'model_not_allowed';
}

/** The model is unknown to the price table, so its cost cannot be bounded. */
export class UnknownModelError extends IronCageError {
  static override readonly defaultCode: string = 'model_not_found';
}

/** Too many requests. */
export class RateLimitedError extends IronCageError {
  static override readonly defaultCode: string = 'rate_limited';
  /** Seconds to wait before retrying, when known. */
  retryAfter: number | undefined;
}

/** The provider or the Iron Cage server could not be reached. */
export class ServerUnavailableError extends IronCageError {
  static override readonly defaultCode: string = 'provider_unavailable';
}

/** The provider answered with an error. */
export class ProviderError extends IronCageError {
  static override readonly defaultCode: string = 'upstream_error';
}

const BY_CODE = new Map<string, typeof IronCageError>(
  [
    ConfigError,
    BudgetExceededError,
    KeyRevokedError,
    ProjectPausedError,
    PolicyViolationError,
    PiiBlockedError,
    PromptInjectionError,
    ToolDeniedError,
    ModelNotAllowedError,
    UnknownModelError,
    RateLimitedError,
    ServerUnavailableError,
    ProviderError,
  ].map((cls) => [cls.defaultCode, cls]),
);

/** The error for iron-core's error `kind` and finer `code`. */
export function fromCore(
  kind: string,
  code: string,
  message: string,
  extra: { status?: number; retryAfter?: number; cause?: unknown } = {},
): IronCageError {
  const cls = BY_CODE.get(code) ?? BY_CODE.get(kind) ?? IronCageError;
  const error = new cls(message, { code, kind, status: extra.status, cause: extra.cause });
  if (error instanceof RateLimitedError) error.retryAfter = extra.retryAfter;
  return error;
}

const TAG = /^\[iron-cage:([a-z_]+):([a-z_]+)\] ([\s\S]*)$/;

/** The native addon's error as an Iron Cage error; `TypeError` for options
 *  core could not parse, `RangeError` for values it refused at `construct`
 *  time. Anything untagged is returned unchanged. */
export function fromNative(error: unknown, phase: 'construct' | 'use' = 'use'): unknown {
  const match = error instanceof Error ? TAG.exec(error.message) : null;
  if (!match) return error;
  const [, kind, code, message] = match;
  if (kind === 'invalid_options') return new TypeError(`iron-cage: ${camelPaths(message)}`);
  if (phase === 'construct' && kind === 'invalid_config') {
    return new RangeError(`iron-cage: ${message}`);
  }
  return fromCore(kind, code, message, { cause: error });
}

/** `tools.max_arg_bytes` -> `tools.maxArgBytes`: the option names users wrote. */
function camelPaths(message: string): string {
  return message.replace(/\b([a-z]+(?:_[a-z]+)+)\b/g, (word) =>
    word.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
  );
}

interface HeaderBag {
  get?: (name: string) => string | null;
  [name: string]: unknown;
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const bag = headers as HeaderBag;
  const value = typeof bag.get === 'function' ? bag.get(name) : bag[name];
  return typeof value === 'string' && value ? value : undefined;
}

/** The Iron Cage error for a gateway refusal an HTTP client threw (the
 *  official `openai` / `@anthropic-ai/sdk` `APIError`s, or anything with
 *  `headers` and a parsed `error` body), recognised by the gateway's
 *  `x-iron-cage-error` header; `undefined` when `error` is not one. */
export function fromHttpError(error: unknown): IronCageError | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { headers?: unknown; error?: unknown; status?: unknown; message?: unknown };
  const code = header(e.headers, 'x-iron-cage-error');
  if (!code) return undefined;
  // openai puts the body's `error` object in `.error`; anthropic the whole body.
  const body = e.error as { error?: { type?: unknown; message?: unknown }; type?: unknown; message?: unknown };
  const inner = (body && typeof body.error === 'object' ? body.error : body) ?? {};
  const kind = typeof inner.type === 'string' ? inner.type : code;
  const message = typeof inner.message === 'string' ? inner.message : String(e.message ?? code);
  const retry = Number(header(e.headers, 'retry-after'));
  return fromCore(kind, code, message, {
    status: typeof e.status === 'number' ? e.status : undefined,
    retryAfter: Number.isFinite(retry) && retry > 0 ? retry : undefined,
    cause: error,
  });
}

/** Looks for a gateway refusal in `error` and its `cause` chain (agent
 *  frameworks sometimes wrap the client's error). */
export function findRefusal(error: unknown): IronCageError | undefined {
  const seen = new Set<unknown>();
  let current = error;
  while (current && !seen.has(current) && seen.size < 16) {
    seen.add(current);
    const found = fromHttpError(current);
    if (found) return found;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
