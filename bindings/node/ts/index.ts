/**
 * Iron Cage for Node.js: the iron-core runtime (budget, PII, injection and
 * tool guards in a loopback gateway) for agents using the official
 * `openai` and `@anthropic-ai/sdk` clients.
 */

export { SafetyRuntime, protectAgent } from './runtime';
export type { Books, ClientOptions, ProtectedAgent, ToolDecision } from './runtime';
export type {
  Action,
  Approver,
  InjectionOptions,
  PiiOptions,
  SafetyRuntimeOptions,
  ToolsOptions,
} from './options';
export {
  BudgetExceededError,
  ConfigError,
  IronCageError,
  KeyRevokedError,
  ModelNotAllowedError,
  PiiBlockedError,
  PolicyViolationError,
  ProjectPausedError,
  PromptInjectionError,
  ProviderError,
  RateLimitedError,
  ServerUnavailableError,
  ToolDeniedError,
  UnknownModelError,
  findRefusal,
} from './errors';
export type { IronCageErrorOptions } from './errors';
