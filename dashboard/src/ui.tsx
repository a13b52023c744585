// Shared building blocks: data loading, forms with per-field API errors,
// empty/loading/unavailable states, money formatting.
import { useCallback, useEffect, useState } from "preact/hooks";
import type { ComponentChildren, InputHTMLAttributes } from "preact";
import { ApiError } from "./api/client";

export type Resource<T> = {
  data: T | undefined;
  error: ApiError | Error | undefined;
  loading: boolean;
  reload: () => void;
};

/** Loads `load()` now and whenever `deps` change; `reload` re-runs it. */
export function useResource<T>(load: () => Promise<T>, deps: unknown[] = []): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Renders a resource: spinner, error (or "not available"), or the content. */
export function Loaded<T>({
  r,
  feature,
  children,
}: {
  r: Resource<T>;
  feature?: string;
  children: (data: T) => ComponentChildren;
}) {
  if (r.error) {
    if (r.error instanceof ApiError && r.error.unavailable)
      return <Unavailable feature={feature ?? "This feature"} />;
    return <ErrorBanner error={r.error} />;
  }
  if (r.data === undefined) return <Loading />;
  return <>{children(r.data)}</>;
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function Unavailable({ feature }: { feature: string }) {
  return (
    <div class="notice unavailable" role="status">
      <strong>Not available on this server.</strong> {feature} needs a newer <code>iron serve</code>; upgrade the
      server to use it.
    </div>
  );
}

export function ErrorBanner({ error }: { error: Error | string | undefined }) {
  if (!error) return null;
  const text = typeof error === "string" ? error : error.message;
  return (
    <div class="notice error" role="alert">
      {text}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

type Values = Record<string, string>;

/** Form state plus the API's field errors, shown next to their fields. */
export function useForm<V extends Values>(initial: V) {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (name: keyof V) => (e: Event) =>
    setValues((v) => ({ ...v, [name]: (e.currentTarget as HTMLInputElement).value }));
  async function submit(e: Event, action: (v: V) => Promise<void>, fieldFor: (code: string) => string | null = () => null) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError(undefined);
    try {
      await action(values);
    } catch (err) {
      if (err instanceof ApiError) {
        const fields = { ...err.fields };
        const field = fieldFor(err.code);
        if (field && !fields[field]) fields[field] = err.message;
        setErrors(fields);
        if (!Object.keys(fields).length) setFormError(err.message);
      } else if (err instanceof FieldError) {
        setErrors({ [err.field]: err.message });
      } else {
        setFormError(String((err as Error).message ?? err));
      }
    } finally {
      setBusy(false);
    }
  }
  return { values, setValues, set, errors, formError, busy, submit, reset: () => setValues(initial) };
}

/** A client-side check failing on one field (same display as the API's). */
export class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

type FieldProps = {
  label: string;
  name: string;
  error?: string;
  hint?: ComponentChildren;
  children?: ComponentChildren;
} & InputHTMLAttributes<HTMLInputElement>;

export function Field({ label, name, error, hint, children, ...input }: FieldProps) {
  const id = `f-${name}`;
  const describedBy = [error ? `${id}-err` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ");
  return (
    <div class={"field" + (error ? " invalid" : "")}>
      <label for={id}>{label}</label>
      {children ?? (
        <input id={id} name={name} aria-invalid={error ? "true" : undefined} aria-describedby={describedBy || undefined} {...input} />
      )}
      {hint && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={`${id}-err`} class="field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

const MONEY = /^\d{1,13}(\.\d{1,6})?$/;

/** Checks a decimal dollar amount as the API's `Usd` does. */
export function checkUsd(field: string, text: string): string {
  const t = text.trim().replace(/^\$/, "");
  if (!MONEY.test(t)) throw new FieldError(field, "enter an amount in dollars, e.g. 500 or 12.50");
  return t;
}

export function usd(text: string | null | undefined): string {
  if (text === null || text === undefined) return "—";
  const n = Number(text);
  return "$" + n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: n !== 0 && Math.abs(n) < 0.01 ? 6 : 2 });
}

export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Spend against budget: a labelled bar, amber past the soft threshold, red past the hard one. */
export function SpendBar({ spent, budget, soft = 90, hard = 100 }: { spent: string; budget: string; soft?: number; hard?: number }) {
  const s = Number(spent);
  const b = Number(budget);
  const pct = b > 0 ? (s / b) * 100 : s > 0 ? 100 : 0;
  const level = pct >= hard ? "hard" : pct >= soft ? "soft" : "ok";
  return (
    <div class="spend">
      <div class="spend-text">
        {usd(spent)} / {usd(budget)} <span class="muted">({Math.round(pct)}%)</span>
        {level !== "ok" && <span class={`badge ${level}`}>{level === "hard" ? "limit reached" : "near limit"}</span>}
      </div>
      <div class={`bar ${level}`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(Math.min(pct, 100))} aria-label="Spend against budget">
        <span style={{ width: `${Math.min(pct, 100)}%` }} />
      </div>
    </div>
  );
}

export function Status({ value }: { value: string }) {
  return <span class={`status status-${value}`}>{value}</span>;
}

/** Copies text and says so, for secrets shown once. */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class="secondary"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
        } catch {
          const area = document.createElement("textarea");
          area.value = text;
          document.body.append(area);
          area.select();
          document.execCommand("copy");
          area.remove();
        }
        setDone(true);
      }}
    >
      {done ? "Copied" : label}
    </button>
  );
}

/** Runs a row action, reporting failures; `confirmText` asks first. */
export function useAction(after: () => void) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function run(action: () => Promise<unknown>, confirmText?: string) {
    if (confirmText && !window.confirm(confirmText)) return;
    setBusy(true);
    setError(undefined);
    try {
      await action();
      after();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return { run, error, busy };
}
