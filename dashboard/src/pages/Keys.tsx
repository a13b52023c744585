import { useContext, useEffect, useState } from "preact/hooks";
import { all, patch, post, type Schemas } from "../api/client";
import { Me } from "../App";
import { Link } from "../router";
import { checkUsd, CopyButton, Empty, ErrorBanner, Field, FieldError, Loaded, Status, usd, useAction, useForm, useResource, when } from "../ui";
import type { Project } from "./Projects";
import { lines } from "./Projects";

type Key = Schemas["KeyView"];
type KeyCreated = Schemas["KeyCreated"];

export function Keys() {
  const projects = useResource(() => all<Project>("/projects"));
  return (
    <section>
      <h1>IC keys</h1>
      <p class="muted">Developers put an IC key in their environment; the provider keys stay in the vault.</p>
      <Loaded r={projects}>{(ps) => <KeyManager projects={ps} />}</Loaded>
    </section>
  );
}

/** Lists keys (of one project, or all) and generates new ones. */
export function KeyManager({ projects, projectId }: { projects: Project[]; projectId?: string }) {
  const me = useContext(Me);
  const admin = me?.role === "admin";
  const keys = useResource(() => all<Key>("/keys", { project_id: projectId }), [projectId]);
  const users = useResource(() => (admin ? all<Schemas["UserView"]>("/users") : Promise.resolve([])), [admin]);
  const act = useAction(keys.reload);
  const [created, setCreated] = useState<KeyCreated>();
  const [editing, setEditing] = useState<Key>();
  const names = new Map(projects.map((p) => [p.id, p.name]));
  const people = new Map((users.data ?? []).map((u) => [u.id, u.email]));
  const live = projects.filter((p) => p.status !== "archived");

  return (
    <>
      {created && <NewKeySecret created={created} onDone={() => setCreated(undefined)} />}
      {admin && !created && !editing && live.length > 0 && (
        <GenerateKey projects={live} projectId={projectId} users={users.data ?? []} onCreated={(k) => (setCreated(k), keys.reload())} />
      )}
      {admin && live.length === 0 && (
        <Empty title="No project to put keys in">
          <p>
            Keys belong to a project. <Link href="/projects/new">Create a project</Link> first.
          </p>
        </Empty>
      )}
      {editing && <EditKey key={editing.id} k={editing} onDone={(saved) => (setEditing(undefined), saved && keys.reload())} />}
      <ErrorBanner error={act.error} />
      <Loaded r={keys}>
        {(list) =>
          list.length === 0 ? (
            <Empty title="No IC keys yet">
              <p>Generate a key for each developer or CI job; you can suspend or revoke it at any time.</p>
            </Empty>
          ) : (
            <div class="table-wrap">
              <table>
                <caption class="sr-only">IC keys</caption>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Key</th>
                    {!projectId && <th>Project</th>}
                    <th>Owner</th>
                    <th>Status</th>
                    <th>Spent / limit</th>
                    <th>IP allowlist</th>
                    <th>Expires</th>
                    {admin && <th>Actions</th>}
                  </tr>
                </thead>
                <tbody>
                  {list.map((k) => (
                    <tr data-key-id={k.id} class={k.status === "revoked" ? "dim" : ""}>
                      <td>{k.name}</td>
                      <td>
                        <code>{k.display_prefix}…</code>
                      </td>
                      {!projectId && (
                        <td>
                          <Link href={`/projects/${k.project_id}/keys`}>{names.get(k.project_id) ?? k.project_id}</Link>
                        </td>
                      )}
                      <td>{people.get(k.owner_id) ?? k.owner_id}</td>
                      <td>
                        <Status value={k.status} />
                      </td>
                      <td>
                        {usd(k.spent_usd)}
                        {Number(k.reserved_usd) > 0 && <span class="muted"> + {usd(k.reserved_usd)} held</span>} /{" "}
                        {k.spend_limit_usd ? usd(k.spend_limit_usd) : "no limit"}
                      </td>
                      <td>{k.ip_allowlist.length ? k.ip_allowlist.join(", ") : <span class="muted">any</span>}</td>
                      <td>{k.expires_at ? when(k.expires_at) : <span class="muted">never</span>}</td>
                      {admin && (
                        <td>
                          <div class="row-actions">
                          {k.status !== "revoked" && (
                            <button type="button" class="secondary" aria-label={`Edit key ${k.name}`} onClick={() => setEditing(k)}>
                              Edit
                            </button>
                          )}
                          {k.status === "active" && (
                            <button type="button" class="secondary" disabled={act.busy} onClick={() => act.run(() => post(`/keys/${k.id}/suspend`))}>
                              Suspend
                            </button>
                          )}
                          {k.status === "suspended" && (
                            <button type="button" class="secondary" disabled={act.busy} onClick={() => act.run(() => post(`/keys/${k.id}/resume`))}>
                              Resume
                            </button>
                          )}
                          {k.status !== "revoked" && (
                            <button
                              type="button"
                              class="danger"
                              disabled={act.busy}
                              onClick={() => act.run(() => post(`/keys/${k.id}/revoke`), `Revoke key "${k.name}"? It stops working at once and cannot be restored.`)}
                            >
                              Revoke
                            </button>
                          )}
                          </div>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </>
  );
}

type KeyLimits = { spend_limit_usd: string; ip_allowlist: string; expires_at: string };

/** The limit, allowlist and expiry fields as the API takes them (empty: none). */
function limitsBody(v: KeyLimits) {
  let expires: string | null = null;
  if (v.expires_at) {
    const d = new Date(v.expires_at);
    if (isNaN(d.getTime())) throw new FieldError("expires_at", "enter a date and time");
    expires = d.toISOString();
  }
  return {
    spend_limit_usd: v.spend_limit_usd.trim() ? checkUsd("spend_limit_usd", v.spend_limit_usd) : null,
    ip_allowlist: lines(v.ip_allowlist),
    expires_at: expires,
  };
}

/** An ISO time as a `datetime-local` input value (local time, minutes). */
function localInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function LimitFields({ f }: { f: { values: KeyLimits; set: (name: keyof KeyLimits) => (e: Event) => void; errors: Record<string, string> } }) {
  return (
    <>
      <Field label="Spend limit (USD, optional)" name="spend_limit_usd" inputMode="decimal" value={f.values.spend_limit_usd} onInput={f.set("spend_limit_usd")} error={f.errors.spend_limit_usd} />
      <Field label="IP allowlist (CIDRs, optional)" name="ip_allowlist" placeholder="10.0.0.0/8, 203.0.113.7" value={f.values.ip_allowlist} onInput={f.set("ip_allowlist")} error={f.errors.ip_allowlist} />
      <Field label="Expires (optional)" name="expires_at" type="datetime-local" value={f.values.expires_at} onInput={f.set("expires_at")} error={f.errors.expires_at} />
    </>
  );
}

/** Changes a key's name, limit, allowlist or expiry; the SDK sees it on its next call. */
function EditKey({ k, onDone }: { k: Key; onDone: (saved: boolean) => void }) {
  const f = useForm({
    name: k.name,
    spend_limit_usd: k.spend_limit_usd ?? "",
    ip_allowlist: k.ip_allowlist.join(", "),
    expires_at: localInput(k.expires_at),
  });
  // Keyboard users land in the form they opened.
  useEffect(() => document.getElementById("f-name")?.focus(), []);
  return (
    <form
      class="card"
      aria-label={`Edit key ${k.name}`}
      onKeyDown={(e) => e.key === "Escape" && onDone(false)}
      onSubmit={(e) =>
        f.submit(e, async (v) => {
          const body: Schemas["UpdateKey"] = { name: v.name, ...limitsBody(v) };
          await patch(`/keys/${k.id}`, body);
          onDone(true);
        })
      }
    >
      <h2>
        Edit key "{k.name}" <code>{k.display_prefix}…</code>
      </h2>
      <p class="muted">Changes apply to the key's next SDK call. A limit below what the key already spent is refused.</p>
      <ErrorBanner error={f.formError} />
      <div class="grid3">
        <Field label="Key name" name="name" required maxLength={100} value={f.values.name} onInput={f.set("name")} error={f.errors.name} />
        <LimitFields f={f} />
      </div>
      <div class="row">
        <button type="submit" disabled={f.busy}>
          {f.busy ? "Saving…" : "Save key"}
        </button>
        <button type="button" class="secondary" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function GenerateKey({
  projects,
  projectId,
  users,
  onCreated,
}: {
  projects: Project[];
  projectId?: string;
  users: Schemas["UserView"][];
  onCreated: (k: KeyCreated) => void;
}) {
  const f = useForm({ project: projectId ?? projects[0]?.id ?? "", name: "", owner_id: "", spend_limit_usd: "", ip_allowlist: "", expires_at: "" });
  return (
    <form
      class="card"
      aria-label="Generate IC key"
      onSubmit={(e) =>
        f.submit(e, async (v) => {
          const body: Schemas["CreateKey"] = { name: v.name, owner_id: v.owner_id || null, ...limitsBody(v) };
          onCreated(await post<KeyCreated>(`/projects/${v.project}/keys`, body));
          f.reset();
        })
      }
    >
      <h2>Generate a key</h2>
      <ErrorBanner error={f.formError} />
      <div class="grid3">
        {!projectId && (
          <Field label="Project" name="project">
            <select id="f-project" value={f.values.project} onChange={f.set("project")}>
              {projects.map((p) => (
                <option value={p.id}>{p.name}</option>
              ))}
            </select>
          </Field>
        )}
        <Field label="Key name" name="name" required maxLength={100} placeholder="Dev 1" value={f.values.name} onInput={f.set("name")} error={f.errors.name} />
        <Field label="Owner" name="owner_id" error={f.errors.owner_id}>
          <select id="f-owner_id" value={f.values.owner_id} onChange={f.set("owner_id")}>
            <option value="">Me</option>
            {users.map((u) => (
              <option value={u.id}>{u.email}</option>
            ))}
          </select>
        </Field>
        <LimitFields f={f} />
      </div>
      <button type="submit" disabled={f.busy}>
        {f.busy ? "Generating…" : "Generate key"}
      </button>
    </form>
  );
}

function NewKeySecret({ created, onDone }: { created: KeyCreated; onDone: () => void }) {
  return (
    <div class="card secret" role="region" aria-label="New key">
      <h2>Key "{created.name}" created</h2>
      <p class="warning" role="alert">
        Copy this key now. It is shown only once; Iron Cage stores only its hash and cannot show it again.
      </p>
      <div class="row">
        <code class="secret-value" data-testid="new-key">
          {created.key}
        </code>
        <CopyButton text={created.key} label="Copy key" />
      </div>
      <button type="button" onClick={onDone}>
        I have stored the key
      </button>
    </div>
  );
}
