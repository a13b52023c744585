import { useContext, useState } from "preact/hooks";
import { all, del, get, patch, post, type Schemas } from "../api/client";
import { Me } from "../App";
import { Link } from "../router";
import { checkUsd, Empty, ErrorBanner, Field, FieldError, Loaded, SpendBar, Status, useAction, useForm, useResource, when } from "../ui";
import { KeyManager } from "./Keys";
import { lines, type Project } from "./Projects";
import { SevenDays } from "./Usage";
import { Vault } from "./Vault";
import { ProjectActivity } from "./Activity";

const TABS: [string, string][] = [
  ["overview", "Overview"],
  ["keys", "IC keys"],
  ["vault", "Vault"],
  ["members", "Members"],
  ["usage", "Usage"],
];

export function ProjectDetail({ id, tab }: { id: string; tab: string }) {
  const project = useResource(() => get<Project>(`/projects/${id}`), [id]);
  return (
    <Loaded r={project}>
      {(p) => (
        <section>
          <p class="crumbs">
            <Link href="/projects">Projects</Link> /
          </p>
          <div class="page-head">
            <h1>{p.name}</h1>
            <Status value={p.status} />
          </div>
          {p.description && <p class="muted">{p.description}</p>}
          <nav class="tabs" aria-label="Project sections">
            {TABS.map(([t, label]) => (
              <Link href={t === "overview" ? `/projects/${id}` : `/projects/${id}/${t}`} class={tab === t ? "tab active" : "tab"} aria-current={tab === t ? "page" : undefined}>
                {label}
              </Link>
            ))}
          </nav>
          {tab === "overview" && <Overview p={p} onChange={project.reload} />}
          {tab === "keys" && <KeyManager projects={[p]} projectId={p.id} />}
          {tab === "vault" && <Vault projectId={p.id} archived={p.status === "archived"} />}
          {tab === "members" && <Members p={p} />}
          {tab === "usage" && (
            <>
              <SevenDays projectId={p.id} />
              <h2>Recent activity</h2>
              <ProjectActivity projectId={p.id} />
            </>
          )}
        </section>
      )}
    </Loaded>
  );
}

function Overview({ p, onChange }: { p: Project; onChange: () => void }) {
  const admin = useContext(Me)?.role === "admin";
  const act = useAction(onChange);
  const archived = p.status === "archived";
  return (
    <>
      <div class="card">
        <h2>Budget</h2>
        <SpendBar spent={p.spent_usd} budget={p.budget_usd} soft={p.soft_threshold_pct} hard={p.hard_threshold_pct} />
        <dl class="facts">
          <dt>Period</dt>
          <dd>{p.budget_period === "none" ? "one total budget" : `${p.budget_period}, since ${when(p.period_started_at)}`}</dd>
          <dt>Reserved by running agents</dt>
          <dd>${p.reserved_usd}</dd>
          <dt>Remaining</dt>
          <dd>${p.remaining_usd}</dd>
          <dt>Thresholds</dt>
          <dd>
            warn at {p.soft_threshold_pct}%, stop at {p.hard_threshold_pct}%
          </dd>
          <dt>Allowed models</dt>
          <dd>{p.allowed_models.length ? p.allowed_models.join(", ") : "any"}</dd>
          <dt>PII</dt>
          <dd>{p.policy.pii_mode}</dd>
          <dt>Prompt injection blocked at</dt>
          <dd>{p.policy.injection_threshold} severity and above</dd>
          <dt>Tools</dt>
          <dd>
            allow {p.policy.tool_policy?.allow?.join(", ") || "all"}; deny {p.policy.tool_policy?.deny?.join(", ") || "none"}
          </dd>
          <dt>Lease</dt>
          <dd>
            {p.policy.lease_size_usd ? `$${p.policy.lease_size_usd}` : "server default size"} for{" "}
            {p.policy.lease_ttl_secs ? `${p.policy.lease_ttl_secs}s` : "the server default TTL"}
          </dd>
        </dl>
      </div>
      {admin && (
        <div class="card">
          <h2>Status</h2>
          <ErrorBanner error={act.error} />
          <div class="row-actions">
            {p.status === "active" && (
              <button type="button" class="secondary" disabled={act.busy} onClick={() => act.run(() => post(`/projects/${p.id}/pause`))}>
                Pause project
              </button>
            )}
            {p.status === "paused" && (
              <button type="button" disabled={act.busy} onClick={() => act.run(() => post(`/projects/${p.id}/resume`))}>
                Resume project
              </button>
            )}
            {!archived && (
              <button
                type="button"
                class="danger"
                disabled={act.busy}
                onClick={() => act.run(() => post(`/projects/${p.id}/archive`), `Archive "${p.name}"? Its keys stop working and it cannot be changed afterwards.`)}
              >
                Archive project
              </button>
            )}
            {archived && <span class="muted">Archived projects are read-only.</span>}
          </div>
        </div>
      )}
      {admin && !archived && <EditProject p={p} onSaved={onChange} />}
      {!archived && <RequestBudget p={p} />}
    </>
  );
}

function EditProject({ p, onSaved }: { p: Project; onSaved: () => void }) {
  const f = useForm({
    name: p.name,
    budget_usd: p.budget_usd,
    budget_period: p.budget_period,
    soft_threshold_pct: String(p.soft_threshold_pct),
    hard_threshold_pct: String(p.hard_threshold_pct),
    allowed_models: p.allowed_models.join(", "),
    pii_mode: p.policy.pii_mode ?? "redact",
    injection_threshold: p.policy.injection_threshold ?? "high",
    tool_allow: (p.policy.tool_policy?.allow ?? []).join(", "),
    tool_deny: (p.policy.tool_policy?.deny ?? []).join(", "),
    lease_size_usd: p.policy.lease_size_usd ?? "",
    lease_ttl_secs: p.policy.lease_ttl_secs == null ? "" : String(p.policy.lease_ttl_secs),
  });
  const int = (field: string, text: string) => {
    const n = Number(text);
    if (!Number.isInteger(n)) throw new FieldError(field, "a whole number");
    return n;
  };
  return (
    <form
      class="card"
      aria-label="Project settings"
      onSubmit={(e) =>
        f.submit(e, async (v) => {
          const body: Schemas["UpdateProject"] = {
            name: v.name,
            budget_usd: checkUsd("budget_usd", v.budget_usd),
            budget_period: v.budget_period as Schemas["BudgetPeriod"],
            soft_threshold_pct: int("soft_threshold_pct", v.soft_threshold_pct),
            hard_threshold_pct: int("hard_threshold_pct", v.hard_threshold_pct),
            allowed_models: lines(v.allowed_models),
            policy: {
              pii_mode: v.pii_mode as Schemas["PiiMode"],
              injection_threshold: v.injection_threshold as Schemas["Severity"],
              tool_policy: { allow: lines(v.tool_allow), deny: lines(v.tool_deny) },
              // Empty: follow the server's lease defaults (Settings).
              lease_size_usd: v.lease_size_usd.trim() ? checkUsd("policy.lease_size_usd", v.lease_size_usd) : null,
              lease_ttl_secs: v.lease_ttl_secs.trim() ? int("policy.lease_ttl_secs", v.lease_ttl_secs) : null,
            },
          };
          await patch(`/projects/${p.id}`, body);
          onSaved();
        })
      }
    >
      <h2>Change budget and policies</h2>
      <ErrorBanner error={f.formError} />
      <div class="grid3">
        <Field label="Name" name="name" value={f.values.name} onInput={f.set("name")} error={f.errors.name} />
        <Field label="Budget (USD)" name="budget_usd" inputMode="decimal" value={f.values.budget_usd} onInput={f.set("budget_usd")} error={f.errors.budget_usd} />
        <Field label="Budget period" name="budget_period" error={f.errors.budget_period}>
          <select id="f-budget_period" value={f.values.budget_period} onChange={f.set("budget_period")}>
            <option value="none">One total budget</option>
            <option value="daily">Daily</option>
            <option value="weekly">Weekly</option>
            <option value="monthly">Monthly</option>
          </select>
        </Field>
        <Field label="Warn at (%)" name="soft_threshold_pct" inputMode="numeric" value={f.values.soft_threshold_pct} onInput={f.set("soft_threshold_pct")} error={f.errors.soft_threshold_pct} />
        <Field label="Stop at (%)" name="hard_threshold_pct" inputMode="numeric" value={f.values.hard_threshold_pct} onInput={f.set("hard_threshold_pct")} error={f.errors.hard_threshold_pct} />
        <Field label="Allowed models (empty: any)" name="allowed_models" value={f.values.allowed_models} onInput={f.set("allowed_models")} error={f.errors.allowed_models} />
        <SafetyFields f={f} prefix="" toolError={f.errors["policy.tool_policy"]} />
        <Field label="Lease size (USD)" name="lease_size_usd" placeholder="server default" hint="Empty: the server default from Settings." value={f.values.lease_size_usd} onInput={f.set("lease_size_usd")} error={f.errors["policy.lease_size_usd"]} />
        <Field label="Lease TTL (seconds)" name="lease_ttl_secs" inputMode="numeric" placeholder="server default" hint="Empty: the server default from Settings." value={f.values.lease_ttl_secs} onInput={f.set("lease_ttl_secs")} error={f.errors["policy.lease_ttl_secs"]} />
      </div>
      <button type="submit" disabled={f.busy}>
        {f.busy ? "Saving…" : "Save changes"}
      </button>
    </form>
  );
}

type SafetyValues = { pii_mode: string; injection_threshold: string; tool_allow: string; tool_deny: string };
// `set` as a method: its parameter is checked bivariantly, so any useForm fits.
type PrefixedForm = { values: Record<string, string>; set(name: string): (e: Event) => void };

/**
 * PII mode, injection threshold and tool globs, for a project's policy and
 * the server's defaults (`prefix` keeps their field ids apart).
 */
export function SafetyFields({ f, prefix, toolError }: { f: PrefixedForm; prefix: "" | "default_"; toolError?: string }) {
  const name = (field: keyof SafetyValues) => prefix + field;
  const choice = (field: keyof SafetyValues, label: string, options: string[]) => (
    <Field label={label} name={name(field)}>
      <select id={`f-${name(field)}`} value={f.values[name(field)]} onChange={f.set(name(field))}>
        {options.map((m) => (
          <option value={m}>{m}</option>
        ))}
      </select>
    </Field>
  );
  return (
    <>
      {choice("pii_mode", "PII handling", ["off", "alert", "redact", "block"])}
      {choice("injection_threshold", "Block prompt injection at", ["low", "medium", "high", "critical"])}
      <Field label="Allowed tools (globs, empty: all)" name={name("tool_allow")} value={f.values[name("tool_allow")]} onInput={f.set(name("tool_allow"))} error={toolError} />
      <Field label="Denied tools (globs)" name={name("tool_deny")} value={f.values[name("tool_deny")]} onInput={f.set(name("tool_deny"))} />
    </>
  );
}

function RequestBudget({ p }: { p: Project }) {
  const f = useForm({ amount_usd: "", reason: "" });
  const admin = useContext(Me)?.role === "admin";
  const [sent, setSent] = useState(false);
  return (
    <form
      class="card"
      aria-label="Request more budget"
      onSubmit={(e) =>
        f.submit(e, async (v) => {
          setSent(false);
          await post(`/projects/${p.id}/budget-requests`, { amount_usd: checkUsd("amount_usd", v.amount_usd), reason: v.reason });
          f.reset();
          setSent(true);
        })
      }
    >
      <h2>Request more budget</h2>
      <p class="muted">{admin ? "Requests appear under Budget requests for an admin to approve or deny." : "An admin approves or denies the request."}</p>
      <ErrorBanner error={f.formError} />
      <div class="grid2">
        <Field label="Extra budget (USD)" name="amount_usd" inputMode="decimal" required value={f.values.amount_usd} onInput={f.set("amount_usd")} error={f.errors.amount_usd} />
        <Field label="Reason" name="reason" required maxLength={1000} value={f.values.reason} onInput={f.set("reason")} error={f.errors.reason} />
      </div>
      <button type="submit" disabled={f.busy}>
        Send request
      </button>
      {sent && (
        <p class="ok-text" role="status">
          Request sent. <Link href="/budget-requests">See budget requests</Link>
        </p>
      )}
    </form>
  );
}

function Members({ p }: { p: Project }) {
  const admin = useContext(Me)?.role === "admin";
  const members = useResource(() => get<Schemas["UserView"][]>(`/projects/${p.id}/members`), [p.id]);
  const users = useResource(() => (admin ? all<Schemas["UserView"]>("/users") : Promise.resolve([])), [admin]);
  const act = useAction(members.reload);
  const f = useForm({ user_id: "" });
  const ids = new Set((members.data ?? []).map((m) => m.id));
  const candidates = (users.data ?? []).filter((u) => !ids.has(u.id));
  return (
    <div>
      {admin && p.status !== "archived" && (
        <form
          class="card inline-form"
          aria-label="Add member"
          onSubmit={(e) =>
            f.submit(e, async (v) => {
              if (!v.user_id) throw new FieldError("user_id", "pick a user");
              await post(`/projects/${p.id}/members`, { user_id: v.user_id });
              f.reset();
              members.reload();
            })
          }
        >
          <Field label="Add a member" name="user_id" error={f.errors.user_id}>
            <select id="f-user_id" value={f.values.user_id} onChange={f.set("user_id")}>
              <option value="">Choose a user…</option>
              {candidates.map((u) => (
                <option value={u.id}>
                  {u.name} ({u.email})
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" disabled={f.busy}>
            Add
          </button>
          <ErrorBanner error={f.formError} />
        </form>
      )}
      <ErrorBanner error={act.error} />
      <Loaded r={members}>
        {(list) =>
          list.length === 0 ? (
            <Empty title="No members yet">
              <p>Members may use the project; generating a key for someone adds them automatically.</p>
            </Empty>
          ) : (
            <ul class="plain">
              {list.map((m) => (
                <li class="row">
                  <span>
                    {m.name} <span class="muted">{m.email}</span>
                  </span>
                  {admin && p.status !== "archived" && (
                    <button type="button" class="secondary" onClick={() => act.run(() => del(`/projects/${p.id}/members/${m.id}`), `Remove ${m.email} from ${p.name}?`)}>
                      Remove
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </div>
  );
}
