/**
 * `SafetyRuntime` options: checked on the JavaScript side for shape (a
 * `TypeError` or `RangeError` saying what to fix), then handed to iron-core
 * as JSON in its own field names. Values core validates (globs, tool
 * policy types) are refused by core, with the option's path.
 */

export type Action = 'allow' | 'redact' | 'block' | 'alert';

export interface PiiOptions {
  /** Personal data (email, phone, card, SSN, IBAN, IP): default `redact`. */
  mode?: Action;
  /** Credentials in prompts: default `block`. */
  secrets?: Action;
  /** Credentials in answers: default `redact`. */
  secretsInResponses?: Action;
  /** Per entity type, e.g. `{ IP_ADDRESS: 'allow' }`. */
  overrides?: Record<string, Action>;
}

export interface InjectionOptions {
  /** `block` (default), `alert`, or `allow` (off). */
  action?: 'block' | 'alert' | 'allow';
  /** Detector threshold between 0 and 1 (default: the detector's). */
  threshold?: number;
}

export interface ToolsOptions {
  /** Tool-name globs; when set, only these tools may run. */
  allow?: string[];
  /** Tool-name globs that may never run (deny wins). */
  deny?: string[];
  /** Directories no path argument may reach (default `/etc`, `/root`, `~/.ssh`...). */
  restrictedPaths?: string[];
  /** Host globs URL arguments may point at. */
  urlAllowlist?: string[];
  /** Globs of tools whose arguments are checked for destructive SQL. */
  sqlTools?: string[];
  /** Globs of tools whose arguments are checked for shell syntax. */
  shellTools?: string[];
  /** Largest serialized argument object. */
  maxArgBytes?: number;
  /** Glob -> `{ perMinute, burst }`. */
  rateLimits?: Record<string, { perMinute: number; burst: number }>;
  /** Globs of tools the `approver` must consent to. */
  requireApproval?: string[];
  /** How long to wait for the approver (no answer is a denial). */
  approvalTimeoutMs?: number;
  /** A denied tool call a *model* requests: `block` (default) or `alert`. */
  action?: 'block' | 'alert';
}

export type Approver = (tool: string, args: unknown) => boolean | Promise<boolean>;

export interface SafetyRuntimeOptions {
  /** The budget in US dollars (local mode). Default 50. */
  budgetUsd?: number;
  /** Remote mode: the developer's `ic_` key. */
  icKey?: string;
  /** Remote mode: the Iron Cage server's URL. */
  serverUrl?: string;
  /** `true` (defaults), `false` (off), a mode, or `PiiOptions`. */
  pii?: boolean | Action | PiiOptions;
  /** `true` (block), `false` (off), an action, or `InjectionOptions`. */
  injection?: boolean | 'block' | 'alert' | 'allow' | InjectionOptions;
  /** The tool policy. */
  tools?: ToolsOptions;
  /** Also put the real provider keys into `process.env` while an agent runs,
   *  as `IRON_CAGE_OPENAI_API_KEY` / `IRON_CAGE_ANTHROPIC_API_KEY`. */
  exportRealKeys?: boolean;
  /** Model globs that may be called (default: any priced model). */
  allowedModels?: string[];
  /** `approver(tool, args)` for tools in `tools.requireApproval`. */
  approver?: Approver;
  /** OpenAI-compatible servers to forward to (default: the public APIs, or
   *  `IRON_OPENAI_UPSTREAM_URL` / `IRON_ANTHROPIC_UPSTREAM_URL`). */
  upstreams?: { openai?: string; anthropic?: string };
  /** Real provider keys; default `OPENAI_API_KEY` / `ANTHROPIC_API_KEY`,
   *  read once when the runtime is created. */
  apiKeys?: { openai?: string; anthropic?: string };
  /** `false` turns every safety guard off (the budget still applies). */
  guards?: boolean;
  /** Append every event as a JSON line to this file. */
  eventLog?: string;
}

const OPTION_NAMES = [
  'budgetUsd', 'icKey', 'serverUrl', 'pii', 'injection', 'tools', 'exportRealKeys',
  'allowedModels', 'approver', 'upstreams', 'apiKeys', 'guards', 'eventLog',
] as const;
const ACTIONS = ['allow', 'redact', 'block', 'alert'];
const TOOL_FIELDS: Record<string, string> = {
  allow: 'allow', deny: 'deny', restrictedPaths: 'restricted_paths',
  urlAllowlist: 'url_allowlist', sqlTools: 'sql_tools', shellTools: 'shell_tools',
  maxArgBytes: 'max_arg_bytes', rateLimits: 'rate_limits',
  requireApproval: 'require_approval', approvalTimeoutMs: 'approval_timeout_ms',
};
const PROVIDERS = ['openai', 'anthropic'] as const;

/** What the native addon gets. */
export interface Prepared {
  config: string;
  keys: Record<string, string>;
  realKeys: Record<string, string>;
  /** `undefined` in remote mode (the server holds the budget). */
  budgetUsd: number | undefined;
  approver: Approver | undefined;
  remote: { serverUrl: string; icKey: string } | undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(name: string, value: unknown, keys: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new TypeError(`iron-cage: ${name} must be an object, got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      throw new TypeError(`iron-cage: unknown option ${name}.${key}; valid: ${keys.join(', ')}`);
    }
  }
  return value;
}

function action(name: string, value: unknown, allowed: readonly string[] = ACTIONS): string {
  if (typeof value !== 'string') {
    throw new TypeError(`iron-cage: ${name} must be one of ${allowed.join(', ')}, got ${describe(value)}`);
  }
  if (!allowed.includes(value)) {
    throw new RangeError(`iron-cage: ${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function string(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`iron-cage: ${name} must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

function strings(name: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new TypeError(`iron-cage: ${name} must be an array of strings (globs), got ${describe(value)}`);
  }
  return value;
}

/** Checks a USD amount: a finite number >= 0. */
export function usd(name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`iron-cage: ${name} must be a number of US dollars, got ${describe(value)}`);
  }
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`iron-cage: ${name} must be a finite number >= 0, got ${value}`);
  }
  return value;
}

function pii(value: unknown): unknown {
  if (value === undefined || value === true) return {};
  if (value === false) {
    return { pii: 'allow', secrets_in_prompts: 'allow', secrets_in_responses: 'allow' };
  }
  if (typeof value === 'string') return { pii: action('pii', value) };
  const o = object('pii', value, ['mode', 'secrets', 'secretsInResponses', 'overrides']);
  const policy: Record<string, unknown> = {};
  if (o.mode !== undefined) policy.pii = action('pii.mode', o.mode);
  if (o.secrets !== undefined) policy.secrets_in_prompts = action('pii.secrets', o.secrets);
  if (o.secretsInResponses !== undefined) {
    policy.secrets_in_responses = action('pii.secretsInResponses', o.secretsInResponses);
  }
  if (o.overrides !== undefined) {
    if (!isPlainObject(o.overrides)) {
      throw new TypeError(`iron-cage: pii.overrides must be an object, got ${describe(o.overrides)}`);
    }
    const overrides: Record<string, string> = {};
    for (const [entity, a] of Object.entries(o.overrides)) {
      overrides[entity.toUpperCase()] = action(`pii.overrides.${entity}`, a);
    }
    policy.overrides = overrides;
  }
  return policy;
}

function injection(value: unknown): unknown {
  const actions = ['block', 'alert', 'allow'];
  if (value === undefined || value === true) return { action: 'block' };
  if (value === false) return { action: 'allow' };
  if (typeof value === 'string') return { action: action('injection', value, actions) };
  const o = object('injection', value, ['action', 'threshold']);
  const threshold = o.threshold;
  if (threshold !== undefined) {
    if (typeof threshold !== 'number') {
      throw new TypeError(`iron-cage: injection.threshold must be a number, got ${describe(threshold)}`);
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new RangeError(`iron-cage: injection.threshold must be between 0 and 1, got ${threshold}`);
    }
  }
  return {
    action: o.action === undefined ? 'block' : action('injection.action', o.action, actions),
    threshold: threshold ?? null,
  };
}

/** `ToolsOptions` in core's field names; value types are core's to check. */
function tools(value: unknown): { policy: unknown; action: string } {
  const o = object('tools', value, [...Object.keys(TOOL_FIELDS), 'action']);
  const policy: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(o)) {
    if (key === 'action' || v === undefined) continue;
    if (key === 'rateLimits' && isPlainObject(v)) {
      const limits: Record<string, unknown> = {};
      for (const [glob, limit] of Object.entries(v)) {
        const l = object(`tools.rateLimits.${glob}`, limit, ['perMinute', 'burst']);
        limits[glob] = { per_minute: l.perMinute, burst: l.burst };
      }
      policy.rate_limits = limits;
    } else {
      policy[TOOL_FIELDS[key]] = v;
    }
  }
  const a = o.action === undefined ? 'block' : action('tools.action', o.action, ['block', 'alert']);
  return { policy, action: a };
}

function providerMap(name: string, value: unknown): Record<string, string> {
  const o = object(name, value ?? {}, PROVIDERS);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined) out[k] = string(`${name}.${k}`, v);
  }
  return out;
}

/** Validates `options` and prepares what the native runtime needs. Reads
 *  `process.env` (keys, upstream URLs) here, on the JavaScript thread. */
export function prepare(options: unknown): Prepared {
  const o = object('options', options === undefined ? {} : options, OPTION_NAMES) as SafetyRuntimeOptions;
  let remote: Prepared['remote'];
  if (o.icKey !== undefined || o.serverUrl !== undefined) {
    if (o.icKey === undefined || o.serverUrl === undefined) {
      throw new TypeError('iron-cage: remote mode needs both icKey and serverUrl');
    }
    if (o.budgetUsd !== undefined) {
      throw new TypeError(
        'iron-cage: give budgetUsd (local mode) or icKey + serverUrl (remote mode: the server holds the budget), not both',
      );
    }
    remote = { icKey: string('icKey', o.icKey), serverUrl: string('serverUrl', o.serverUrl) };
  }
  const budgetUsd = remote ? undefined : o.budgetUsd === undefined ? 50 : usd('budgetUsd', o.budgetUsd);
  for (const flag of ['exportRealKeys', 'guards'] as const) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean') {
      throw new TypeError(`iron-cage: ${flag} must be a boolean, got ${describe(o[flag])}`);
    }
  }
  if (o.approver !== undefined && typeof o.approver !== 'function') {
    throw new TypeError(
      `iron-cage: approver must be a function (tool, args) => boolean | Promise<boolean>, got ${describe(o.approver)}`,
    );
  }
  const upstreams = providerMap('upstreams', o.upstreams);
  const keys = providerMap('apiKeys', o.apiKeys);
  for (const p of PROVIDERS) {
    const env = process.env[`IRON_${p.toUpperCase()}_UPSTREAM_URL`];
    if (upstreams[p] === undefined && env) upstreams[p] = env;
    const key = process.env[`${p.toUpperCase()}_API_KEY`];
    if (keys[p] === undefined && key) keys[p] = key;
  }
  const t = o.tools === undefined ? undefined : tools(o.tools);
  const config = {
    budget_usd: budgetUsd ?? null,
    remote: remote ? { server_url: remote.serverUrl, ic_key: remote.icKey } : null,
    upstreams,
    safety: o.guards === false ? null : pii(o.pii),
    injection: injection(o.injection),
    tools: t?.policy ?? null,
    tool_call_action: t?.action ?? null,
    allowed_models: o.allowedModels === undefined ? null : strings('allowedModels', o.allowedModels),
    event_log: o.eventLog === undefined ? null : string('eventLog', o.eventLog),
  };
  const realKeys: Record<string, string> = {};
  if (o.exportRealKeys) {
    for (const [p, key] of Object.entries(keys)) {
      if (!key.startsWith('iron-placeholder-')) realKeys[`IRON_CAGE_${p.toUpperCase()}_API_KEY`] = key;
    }
  }
  return { config: JSON.stringify(config), keys, realKeys, budgetUsd, approver: o.approver, remote };
}
