import { useContext, useState } from "preact/hooks";
import { del, get, post, put, type Schemas } from "../api/client";
import { Me } from "../App";
import { Empty, ErrorBanner, Field, Loaded, useAction, useForm, useResource, when } from "../ui";

type Credential = Schemas["CredentialView"];
type Test = Schemas["ConnectionTest"];

const PROVIDERS: [string, string][] = [
  ["openai", "OpenAI"],
  ["anthropic", "Anthropic"],
  ["mistral", "Mistral"],
];
const PROVIDER_NAMES = new Map(PROVIDERS);

/** A project's provider credentials: only masked values ever reach the browser. */
export function Vault({ projectId, archived }: { projectId: string; archived: boolean }) {
  const admin = useContext(Me)?.role === "admin";
  const creds = useResource(() => get<Credential[]>(`/projects/${projectId}/providers`), [projectId]);
  const act = useAction(creds.reload);
  const [tests, setTests] = useState<Record<string, Test | "running">>({});
  const [rotating, setRotating] = useState<string>();

  async function test(c: Credential) {
    setTests((t) => ({ ...t, [c.id]: "running" }));
    try {
      const result = await post<Test>(`/projects/${projectId}/providers/${c.id}/test`);
      setTests((t) => ({ ...t, [c.id]: result }));
    } catch (e) {
      setTests((t) => ({ ...t, [c.id]: { ok: false, message: (e as Error).message } }));
    }
  }

  return (
    <div>
      {admin && !archived && <AddCredential projectId={projectId} onAdded={creds.reload} />}
      <ErrorBanner error={act.error} />
      <Loaded r={creds}>
        {(list) =>
          list.length === 0 ? (
            <Empty title="No provider keys in the vault">
              <p>Add your OpenAI or Anthropic API key. It is encrypted at rest and never shown again, not even to admins; IC keys use it on your developers' behalf.</p>
            </Empty>
          ) : (
            <ul class="cred-list">
              {list.map((c) => {
                const t = tests[c.id];
                return (
                  <li class="card" data-provider={c.provider}>
                    <div class="row">
                      <strong>{PROVIDER_NAMES.get(c.label) ?? c.label}</strong>
                      {c.label !== c.provider && <span class="muted">{PROVIDER_NAMES.get(c.provider) ?? c.provider}</span>}
                      <code aria-label="masked key">{c.masked_value}</code>
                      <span class="muted">updated {when(c.updated_at)}</span>
                    </div>
                    {admin && (
                      <div class="row-actions">
                        <button type="button" class="secondary" disabled={t === "running"} onClick={() => test(c)}>
                          {t === "running" ? "Testing…" : "Test connection"}
                        </button>
                        {!archived && (
                          <button type="button" class="secondary" onClick={() => setRotating(rotating === c.id ? undefined : c.id)}>
                            Rotate
                          </button>
                        )}
                        <button
                          type="button"
                          class="danger"
                          disabled={act.busy}
                          onClick={() => act.run(() => del(`/projects/${projectId}/providers/${c.id}`), `Remove the ${c.label} key from the vault? Calls through it stop at once.`)}
                        >
                          Remove
                        </button>
                      </div>
                    )}
                    {t && t !== "running" && (
                      <p class={t.ok ? "ok-text" : "error-text"} role="status">
                        {t.ok ? "Connection works" : "Connection failed"}
                        {t.http_status ? ` (HTTP ${t.http_status})` : ""}: {t.message}
                      </p>
                    )}
                    {rotating === c.id && (
                      <RotateCredential projectId={projectId} credential={c} onDone={() => (setRotating(undefined), creds.reload())} />
                    )}
                  </li>
                );
              })}
            </ul>
          )
        }
      </Loaded>
    </div>
  );
}

function AddCredential({ projectId, onAdded }: { projectId: string; onAdded: () => void }) {
  const f = useForm({ provider: "openai", label: "", api_key: "" });
  return (
    <form
      class="card"
      aria-label="Add provider key"
      onSubmit={(e) =>
        f.submit(e, async (v) => {
          await post(`/projects/${projectId}/providers`, { provider: v.provider, label: v.label.trim() || null, api_key: v.api_key });
          f.reset();
          onAdded();
        })
      }
    >
      <h2>Add a provider key</h2>
      <ErrorBanner error={f.formError} />
      <div class="grid3">
        <Field label="Provider" name="provider" error={f.errors.provider}>
          <select id="f-provider" value={f.values.provider} onChange={f.set("provider")}>
            {PROVIDERS.map(([id, name]) => (
              <option value={id}>{name}</option>
            ))}
          </select>
        </Field>
        <Field label="Label (optional)" name="label" value={f.values.label} onInput={f.set("label")} error={f.errors.label} />
        <Field label="API key" name="api_key" type="password" autoComplete="off" required value={f.values.api_key} onInput={f.set("api_key")} error={f.errors.api_key} />
      </div>
      <button type="submit" disabled={f.busy}>
        {f.busy ? "Adding…" : "Add to vault"}
      </button>
    </form>
  );
}

function RotateCredential({ projectId, credential, onDone }: { projectId: string; credential: Credential; onDone: () => void }) {
  const f = useForm({ api_key: "" });
  return (
    <form
      class="inline-form"
      aria-label={`Rotate ${credential.label}`}
      onSubmit={(e) =>
        f.submit(e, async (v) => {
          await put(`/projects/${projectId}/providers/${credential.id}`, { api_key: v.api_key });
          onDone();
        })
      }
    >
      <ErrorBanner error={f.formError} />
      <Field label="New API key" name={`rotate-${credential.id}`} type="password" autoComplete="off" required value={f.values.api_key} onInput={f.set("api_key")} error={f.errors.api_key} />
      <button type="submit" disabled={f.busy}>
        Save new key
      </button>
    </form>
  );
}
