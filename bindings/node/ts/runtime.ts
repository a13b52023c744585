/** `SafetyRuntime` and `protectAgent`: run an agent under Iron Cage. */

import { NativeRuntime } from '../native.cjs';
import type { BudgetMicros, NativeToolDecision } from '../native.cjs';
import * as env from './env';
import {
  BudgetExceededError,
  IronCageError,
  ToolDeniedError,
  findRefusal,
  fromNative,
} from './errors';
import { prepare } from './options';
import type { SafetyRuntimeOptions } from './options';

const MICROS = 1_000_000;

/** Started, not yet closed runtimes: settled when Node runs out of work
 *  (remote mode returns the unspent lease), like Python's atexit hook. */
const live = new Set<SafetyRuntime>();
let exitHook = false;

function closeAtExit(runtime: SafetyRuntime): void {
  live.add(runtime);
  if (exitHook) return;
  exitHook = true;
  process.once('beforeExit', () => {
    void Promise.allSettled([...live].map((r) => r.close()));
  });
}

export type ToolDecision = NativeToolDecision;
export type Books = BudgetMicros;

/** Options for an official client created before the run. */
export interface ClientOptions {
  baseURL: string;
  apiKey: string;
}

/** Calls a native method, turning its error into an Iron Cage error. */
async function native<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw fromNative(e);
  }
}

function nativeSync<T>(call: () => T): T {
  try {
    return call();
  } catch (e) {
    throw fromNative(e);
  }
}

function toolName(name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`iron-cage: the tool name must be a non-empty string, got ${String(name)}`);
  }
  return name;
}

/**
 * Governs LLM agents: a loopback gateway (on Iron Cage's own threads) that
 * the official `openai` and `@anthropic-ai/sdk` clients are pointed at while
 * an agent runs, with the budget reserved before each call, PII redacted,
 * prompt injection and denied tools refused.
 *
 * ```js
 * const runtime = new SafetyRuntime({ budgetUsd: 5 });
 * const answer = await runtime.run(async () => new OpenAI().chat.completions.create(...));
 * await runtime.close();
 * ```
 */
export class SafetyRuntime {
  /** The local budget; `undefined` in remote mode (the server holds it). */
  readonly budgetUsd: number | undefined;
  readonly #native: NativeRuntime;
  readonly #realKeys: Record<string, string>;
  #starting: Promise<this> | undefined;

  /** Checks the options (a `TypeError` / `RangeError` says what to fix).
   *  The gateway starts on `start()` or the first `run()`. */
  constructor(options: SafetyRuntimeOptions = {}) {
    const prepared = prepare(options);
    const user = prepared.approver;
    // The native side awaits a promise of a boolean; a throwing or
    // non-boolean approver is a denial.
    const approver = user
      ? (tool: string, args: unknown) =>
          Promise.resolve()
            .then(() => user(tool, args))
            .then((ok) => ok === true, () => false)
      : undefined;
    try {
      this.#native = new NativeRuntime(prepared.config, prepared.keys, approver);
    } catch (e) {
      throw fromNative(e, 'construct');
    }
    this.budgetUsd = prepared.budgetUsd;
    this.#realKeys = prepared.realKeys;
  }

  /** Creates and starts a runtime. */
  static async create(options: SafetyRuntimeOptions = {}): Promise<SafetyRuntime> {
    return new SafetyRuntime(options).start();
  }

  /** Starts the gateway (off the JavaScript thread). Idempotent. */
  start(): Promise<this> {
    this.#starting ??= native(() => this.#native.start()).then(() => {
      closeAtExit(this);
      return this;
    });
    return this.#starting;
  }

  get started(): boolean {
    return this.#starting !== undefined && !this.closed;
  }

  get closed(): boolean {
    return this.#native.closed;
  }

  /** `http://127.0.0.1:PORT`: the loopback gateway. */
  get gatewayUrl(): string {
    return nativeSync(() => this.#native.gatewayUrl);
  }

  /** The books in micro-dollars (final ones after `close()`). */
  budget(): Books {
    return nativeSync(() => this.#native.budget());
  }

  /** USD spent so far (actual cost of finished calls). */
  get spentUsd(): number {
    return this.budget().spent / MICROS;
  }

  /** USD still available for new calls (in-flight reservations excluded);
   *  `undefined` in remote mode (the server knows). */
  get remainingUsd(): number | undefined {
    if (this.budgetUsd === undefined) return undefined;
    if (this.closed) return Math.max(this.budgetUsd - this.spentUsd, 0);
    return (this.#native.remainingMicros() ?? 0) / MICROS;
  }

  /** The variables set while an agent runs (gateway URLs, placeholder keys). */
  env(): Record<string, string> {
    const pairs = nativeSync(() => this.#native.envVars());
    return { ...Object.fromEntries(pairs), ...this.#realKeys };
  }

  /** `{ baseURL, apiKey }` for an official client created outside `run()`:
   *  `new OpenAI(runtime.clientOptions())`,
   *  `new Anthropic(runtime.clientOptions('anthropic'))`. Needs `start()`. */
  clientOptions(provider: 'openai' | 'anthropic' = 'openai'): ClientOptions {
    if (provider !== 'openai' && provider !== 'anthropic') {
      throw new RangeError(`iron-cage: clientOptions(provider): use 'openai' or 'anthropic', got ${String(provider)}`);
    }
    const vars = this.env();
    const prefix = provider === 'openai' ? 'OPENAI' : 'ANTHROPIC';
    return { baseURL: vars[`${prefix}_BASE_URL`], apiKey: vars[`${prefix}_API_KEY`] };
  }

  /** Recent events (`llm.call`, `guardrail.check`, `tool.invoke`...), oldest first. */
  events(type?: string): Array<Record<string, unknown>> {
    const all = JSON.parse(nativeSync(() => this.#native.eventsJson())) as Array<Record<string, unknown>>;
    return type === undefined ? all : all.filter((e) => e.type === type);
  }

  /** Checks a tool call against the tool policy (DNS for URL arguments, the
   *  approver), off the JavaScript thread. Never throws on a denial: look at
   *  `allowed`, `rule`, `reason`. */
  checkTool(name: string, args: unknown = {}): Promise<ToolDecision> {
    const tool = toolName(name);
    return native(() => this.#native.checkTool(tool, args));
  }

  /** The same without DNS or the approver (approval-required tools are
   *  denied unless decided without asking), synchronously. */
  checkToolSync(name: string, args: unknown = {}): ToolDecision {
    const tool = toolName(name);
    return nativeSync(() => this.#native.checkToolSync(tool, args));
  }

  /** Like `checkTool` but throws `ToolDeniedError` on a denial. */
  async requireTool(name: string, args: unknown = {}): Promise<void> {
    const d = await this.checkTool(name, args);
    if (!d.allowed) {
      const error = new ToolDeniedError(`tool '${d.tool}' denied (${d.rule ?? 'policy'}): ${d.reason ?? ''}`);
      error.tool = d.tool;
      error.rule = d.rule ?? undefined;
      throw error;
    }
  }

  /** Wraps a tool: each call is checked (with its first argument as the
   *  arguments object) before `fn` runs; a denial throws `ToolDeniedError`. */
  tool<A, R>(name: string, fn: (args: A) => R | Promise<R>): (args: A) => Promise<R> {
    toolName(name);
    if (typeof fn !== 'function') throw new TypeError('iron-cage: tool(name, fn): fn must be a function');
    return async (args: A) => {
      await this.requireTool(name, args ?? {});
      return fn(args);
    };
  }

  /**
   * Runs `agent` with `process.env` pointing the official clients at the
   * gateway (restored afterwards, also on throw). A gateway refusal the
   * agent's client threw becomes the matching Iron Cage error, the
   * original as its `cause`.
   */
  async run<R>(agent: () => R | Promise<R>): Promise<R> {
    if (typeof agent !== 'function') {
      throw new TypeError('iron-cage: run(agent): agent must be a function, e.g. run(async () => { ... })');
    }
    await this.start();
    const token = env.enter(this.env());
    try {
      return await agent();
    } catch (e) {
      throw this.#translate(e);
    } finally {
      env.leave(token);
    }
  }

  #translate(error: unknown): unknown {
    const refusal = error instanceof IronCageError ? error : findRefusal(error);
    if (refusal instanceof BudgetExceededError) {
      refusal.limitUsd ??= this.budgetUsd;
      refusal.spentUsd ??= this.spentUsd;
    }
    return refusal ?? error;
  }

  /** Stops the gateway and settles the budget; returns the final books
   *  (micro-dollars). Idempotent. The gateway stops even when the settle
   *  fails; the error (e.g. `KeyRevokedError` in remote mode) then says why
   *  the books could not be settled. */
  close(): Promise<Books> {
    live.delete(this);
    return native(() => this.#native.close());
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close().then(() => undefined);
  }
}

/** An agent function wrapped by `protectAgent`. */
export type ProtectedAgent<A extends unknown[], R> = ((...args: A) => Promise<R>) & {
  /** The shared runtime (created on first call). */
  readonly runtime: SafetyRuntime;
};

/**
 * Wraps an agent function: every call runs under one `SafetyRuntime`
 * (created now, so bad options throw here; started on the first call;
 * shared by all calls). Close it with `agent.runtime.close()`.
 */
export function protectAgent<A extends unknown[], R>(
  fn: (...args: A) => R | Promise<R>,
  options: SafetyRuntimeOptions = {},
): ProtectedAgent<A, R> {
  if (typeof fn !== 'function') {
    throw new TypeError('iron-cage: protectAgent(fn, options): fn must be the agent function');
  }
  const runtime = new SafetyRuntime(options);
  const wrapped = (...args: A) => runtime.run(() => fn(...args));
  Object.defineProperty(wrapped, 'runtime', { value: runtime, enumerable: true });
  return wrapped as ProtectedAgent<A, R>;
}
