import { useContext, useState } from "preact/hooks";
import { del, get, login, patch, post } from "../api/client";
import type { Delivery, Settings as ServerSettings, Webhook } from "../api/ops";
import { Me } from "../App";
import { lines } from "./Projects";
import { SafetyFields } from "./ProjectDetail";
import { checkUsd, Empty, ErrorBanner, Field, FieldError, Loaded, useAction, useForm, useResource, when } from "../ui";

export function Settings() {
  const admin = useContext(Me)?.role === "admin";
  return (
    <section>
      <h1>Settings</h1>
      {admin && <ServerSettingsForms />}
      {admin && <Webhooks />}
      <ChangePassword />
    </section>
  );
}

function ServerSettingsForms() {
  const r = useResource(() => get<ServerSettings>("/settings"));
  return (
    <Loaded r={r} feature="Server settings">
      {(s) => (
        <>
          <div class="card">
            <h2>Anomaly detection and rate limits</h2>
            <SettingsForm s={s} onSaved={r.reload} />
          </div>
          {s.lease_defaults && (
            <div class="card">
              <h2>SDK lease defaults</h2>
              <p class="muted">The budget tranche an agent holds at a time, and how long it may hold it. Projects without their own lease settings use these.</p>
              <LeaseDefaultsForm s={s} onSaved={r.reload} />
            </div>
          )}
          {s.policy_defaults && (
            <div class="card">
              <h2>Policy defaults for new projects</h2>
              <p class="muted">A project created without its own policy starts with these; existing projects keep theirs.</p>
              <PolicyDefaultsForm s={s} onSaved={r.reload} />
            </div>
          )}
        </>
      )}
    </Loaded>
  );
}

/** A whole number, 0 or more, or a field error. */
function int(field: string, text: string) {
  const n = Number(text);
  if (!text.trim() || !Number.isInteger(n) || n < 0) throw new FieldError(field, "a whole number, 0 or more");
  return n;
}

/** Save button plus a "Saved." status after a successful PATCH. */
function SaveRow({ busy, saved, label }: { busy: boolean; saved: boolean; label: string }) {
  return (
    <>
      <button type="submit" disabled={busy}>
        {label}
      </button>
      {saved && (
        <span class="ok-text" role="status">
          Saved.
        </span>
      )}
    </>
  );
}

/** A settings form: PATCHes what `build` returns, then reloads. */
function useSettingsForm<V extends Record<string, string>>(initial: V, onSaved: () => void) {
  const f = useForm(initial);
  const [saved, setSaved] = useState(false);
  const submit = (e: Event, build: (v: V) => unknown) =>
    f.submit(e, async (v) => {
      setSaved(false);
      await patch("/settings", build(v));
      setSaved(true);
      onSaved();
    });
  return { f, saved, submit };
}

function SettingsForm({ s, onSaved }: { s: ServerSettings; onSaved: () => void }) {
  const { f, saved, submit } = useSettingsForm(
    {
      max_ips_per_key: String(s.anomaly.max_ips_per_key),
      window_secs: String(s.anomaly.window_secs),
      max_spend_usd_per_min: s.anomaly.max_spend_usd_per_min,
      auto_suspend: s.anomaly.auto_suspend ? "yes" : "no",
      key_rpm: String(s.rate_limits.key_rpm),
      project_rpm: String(s.rate_limits.project_rpm),
    },
    onSaved,
  );
  return (
    <form
      aria-label="Server settings"
      onSubmit={(e) =>
        submit(e, (v) => ({
          anomaly: {
            max_ips_per_key: int("anomaly.max_ips_per_key", v.max_ips_per_key),
            window_secs: int("anomaly.window_secs", v.window_secs),
            max_spend_usd_per_min: checkUsd("anomaly.max_spend_usd_per_min", v.max_spend_usd_per_min),
            auto_suspend: v.auto_suspend === "yes",
          },
          rate_limits: { key_rpm: int("rate_limits.key_rpm", v.key_rpm), project_rpm: int("rate_limits.project_rpm", v.project_rpm) },
        }))
      }
    >
      <ErrorBanner error={f.formError} />
      <div class="grid3">
        <Field label="Max IPs per key" name="max_ips_per_key" inputMode="numeric" value={f.values.max_ips_per_key} onInput={f.set("max_ips_per_key")} error={f.errors["anomaly.max_ips_per_key"]} />
        <Field label="Window (seconds)" name="window_secs" inputMode="numeric" value={f.values.window_secs} onInput={f.set("window_secs")} error={f.errors["anomaly.window_secs"]} />
        <Field label="Max spend per minute (USD)" name="max_spend_usd_per_min" inputMode="decimal" value={f.values.max_spend_usd_per_min} onInput={f.set("max_spend_usd_per_min")} error={f.errors["anomaly.max_spend_usd_per_min"]} />
        <Field label="Suspend keys automatically" name="auto_suspend">
          <select id="f-auto_suspend" value={f.values.auto_suspend} onChange={f.set("auto_suspend")}>
            <option value="yes">Yes</option>
            <option value="no">No, only alert</option>
          </select>
        </Field>
        <Field label="Requests per minute per key" name="key_rpm" inputMode="numeric" value={f.values.key_rpm} onInput={f.set("key_rpm")} error={f.errors["rate_limits.key_rpm"]} />
        <Field label="Requests per minute per project" name="project_rpm" inputMode="numeric" value={f.values.project_rpm} onInput={f.set("project_rpm")} error={f.errors["rate_limits.project_rpm"]} />
      </div>
      <SaveRow busy={f.busy} saved={saved} label="Save settings" />
    </form>
  );
}

function LeaseDefaultsForm({ s, onSaved }: { s: ServerSettings; onSaved: () => void }) {
  const { f, saved, submit } = useSettingsForm(
    { default_lease_size_usd: s.lease_defaults.lease_size_usd, default_lease_ttl_secs: String(s.lease_defaults.lease_ttl_secs) },
    onSaved,
  );
  return (
    <form
      aria-label="Lease defaults"
      onSubmit={(e) =>
        submit(e, (v) => ({
          lease_defaults: {
            lease_size_usd: checkUsd("lease_defaults.lease_size_usd", v.default_lease_size_usd),
            lease_ttl_secs: int("lease_defaults.lease_ttl_secs", v.default_lease_ttl_secs),
          },
        }))
      }
    >
      <ErrorBanner error={f.formError} />
      <div class="grid2">
        <Field label="Lease size (USD)" name="default_lease_size_usd" inputMode="decimal" value={f.values.default_lease_size_usd} onInput={f.set("default_lease_size_usd")} error={f.errors["lease_defaults.lease_size_usd"]} />
        <Field label="Lease TTL (seconds)" name="default_lease_ttl_secs" inputMode="numeric" hint="10 to 86400. An unsettled lease is charged in full after this." value={f.values.default_lease_ttl_secs} onInput={f.set("default_lease_ttl_secs")} error={f.errors["lease_defaults.lease_ttl_secs"]} />
      </div>
      <SaveRow busy={f.busy} saved={saved} label="Save lease defaults" />
    </form>
  );
}

function PolicyDefaultsForm({ s, onSaved }: { s: ServerSettings; onSaved: () => void }) {
  const p = s.policy_defaults;
  const { f, saved, submit } = useSettingsForm(
    { default_pii_mode: p.pii_mode, default_injection_threshold: p.injection_threshold, default_tool_allow: p.tool_policy.allow.join(", "), default_tool_deny: p.tool_policy.deny.join(", ") },
    onSaved,
  );
  return (
    <form
      aria-label="Policy defaults"
      onSubmit={(e) =>
        submit(e, (v) => ({
          policy_defaults: {
            pii_mode: v.default_pii_mode,
            injection_threshold: v.default_injection_threshold,
            tool_policy: { allow: lines(v.default_tool_allow), deny: lines(v.default_tool_deny) },
          },
        }))
      }
    >
      <ErrorBanner error={f.formError} />
      <div class="grid2">
        <SafetyFields f={f} prefix="default_" toolError={f.errors["policy_defaults.tool_policy"]} />
      </div>
      <SaveRow busy={f.busy} saved={saved} label="Save policy defaults" />
    </form>
  );
}

function Webhooks() {
  const r = useResource(() => get<{ items: Webhook[] } | Webhook[]>("/webhooks"));
  const act = useAction(r.reload);
  const f = useForm({ url: "" });
  const [deliveries, setDeliveries] = useState<{ id: string; items: Delivery[] }>();
  const list = (d: { items: Webhook[] } | Webhook[]) => (Array.isArray(d) ? d : d.items);
  return (
    <div class="card">
      <h2>Webhooks</h2>
      <Loaded r={r} feature="Webhooks">
        {(d) => (
          <>
            <form
              class="inline-form"
              aria-label="Add webhook"
              onSubmit={(e) =>
                f.submit(e, async (v) => {
                  await post("/webhooks", { url: v.url });
                  f.reset();
                  r.reload();
                })
              }
            >
              <Field label="Endpoint URL" name="url" type="url" required placeholder="https://hooks.example.com/iron" value={f.values.url} onInput={f.set("url")} error={f.errors.url} />
              <button type="submit" disabled={f.busy}>
                Add webhook
              </button>
              <ErrorBanner error={f.formError} />
            </form>
            <ErrorBanner error={act.error} />
            {list(d).length === 0 ? (
              <Empty title="No webhooks">
                <p>Add an endpoint to receive budget and anomaly alerts in your own systems (Slack, PagerDuty…).</p>
              </Empty>
            ) : (
              <ul class="plain">
                {list(d).map((w) => (
                  <li class="row">
                    <code>{w.url}</code>
                    <button type="button" class="secondary" onClick={() => act.run(() => post(`/webhooks/${w.id}/test`))}>
                      Send test
                    </button>
                    <button
                      type="button"
                      class="secondary"
                      onClick={() =>
                        act.run(async () => {
                          const x = await get<{ items: Delivery[] } | Delivery[]>(`/webhooks/${w.id}/deliveries`);
                          setDeliveries({ id: w.id, items: Array.isArray(x) ? x : x.items });
                        })
                      }
                    >
                      Deliveries
                    </button>
                    <button type="button" class="danger" onClick={() => act.run(() => del(`/webhooks/${w.id}`), `Delete the webhook to ${w.url}?`)}>
                      Delete
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {deliveries && (
              <div>
                <h3>Recent deliveries</h3>
                {deliveries.items.length === 0 ? (
                  <p class="muted">No deliveries yet.</p>
                ) : (
                  <ul class="plain">
                    {deliveries.items.map((x) => (
                      <li>
                        {when(x.created_at)} {x.event} <span class="badge">{String(x.status ?? "")}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
          </>
        )}
      </Loaded>
    </div>
  );
}

function ChangePassword() {
  const me = useContext(Me);
  const f = useForm({ current_password: "", new_password: "" });
  const [done, setDone] = useState(false);
  return (
    <form
      class="card"
      aria-label="Change password"
      onSubmit={(e) =>
        f.submit(
          e,
          async (v) => {
            setDone(false);
            await post("/auth/password", v);
            // The change ends every session, this one included: sign in again.
            if (me) await login(me.email, v.new_password);
            f.reset();
            setDone(true);
          },
          (code) => (code === "UNAUTHORIZED" ? "current_password" : null),
        )
      }
    >
      <h2>Change your password</h2>
      <ErrorBanner error={f.formError} />
      <div class="grid2">
        <Field label="Current password" name="current_password" type="password" autoComplete="current-password" required value={f.values.current_password} onInput={f.set("current_password")} error={f.errors.current_password} />
        <Field label="New password" name="new_password" type="password" autoComplete="new-password" required value={f.values.new_password} onInput={f.set("new_password")} error={f.errors.new_password} hint="At least 10 characters. Your other sessions are signed out." />
      </div>
      <button type="submit" disabled={f.busy}>
        Change password
      </button>
      {done && (
        <span class="ok-text" role="status">
          Password changed.
        </span>
      )}
    </form>
  );
}


