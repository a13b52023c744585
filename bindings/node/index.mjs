// ESM entry point: the same objects as the CommonJS one (one module
// instance, so `instanceof` holds whichever way a program imports).
import cjs from './dist/index.js';

export const {
  SafetyRuntime,
  protectAgent,
  IronCageError,
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
  findRefusal,
} = cjs;
export default cjs;
