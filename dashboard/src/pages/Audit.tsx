import { useState } from "preact/hooks";
import { get, type Schemas } from "../api/client";
import { ErrorBanner, Field, Loaded, useForm, useResource, when } from "../ui";

type Record = Schemas["AuditRecordView"];
type Page = { items: Record[]; next_cursor?: string | null };

export function Audit() {
  const f = useForm({ action: "", actor_id: "", target_id: "", since: "", until: "" });
  const [filter, setFilter] = useState(f.values);
  const [cursor, setCursor] = useState<string>();
  const page = useResource(
    () =>
      get<Page>("/audit", {
        action: filter.action,
        actor_id: filter.actor_id,
        target_id: filter.target_id,
        since: filter.since && new Date(filter.since).toISOString(),
        until: filter.until && new Date(filter.until).toISOString(),
        cursor,
        limit: 50,
      }),
    [JSON.stringify(filter), cursor],
  );
  const [verify, setVerify] = useState<Schemas["Verification"] | "running">();
  const [verifyError, setVerifyError] = useState<string>();
  return (
    <section>
      <div class="page-head">
        <h1>Audit log</h1>
        <button
          type="button"
          class="secondary"
          disabled={verify === "running"}
          onClick={async () => {
            setVerify("running");
            setVerifyError(undefined);
            try {
              setVerify(await get<Schemas["Verification"]>("/audit/verify"));
            } catch (e) {
              setVerify(undefined);
              setVerifyError((e as Error).message);
            }
          }}
        >
          {verify === "running" ? "Verifying…" : "Verify chain"}
        </button>
      </div>
      <ErrorBanner error={verifyError} />
      {verify && verify !== "running" && (
        <div class={`notice ${verify.ok ? "ok" : "error"}`} role="status" data-testid="verify-result">
          {verify.ok
            ? `Chain intact: ${verify.records_checked} records verified.`
            : `Chain broken at record ${verify.first_bad_seq}: ${verify.problem}`}
        </div>
      )}
      <form
        class="filters"
        aria-label="Audit filters"
        onSubmit={(e) => {
          e.preventDefault();
          setCursor(undefined);
          setFilter({ ...f.values });
        }}
      >
        <Field label="Action" name="action" placeholder="key.revoke" value={f.values.action} onInput={f.set("action")} />
        <Field label="Actor id" name="actor_id" value={f.values.actor_id} onInput={f.set("actor_id")} />
        <Field label="Target id" name="target_id" value={f.values.target_id} onInput={f.set("target_id")} />
        <Field label="Since" name="since" type="datetime-local" value={f.values.since} onInput={f.set("since")} />
        <Field label="Until" name="until" type="datetime-local" value={f.values.until} onInput={f.set("until")} />
        <button type="submit">Filter</button>
      </form>
      <Loaded r={page}>
        {(p) => (
          <>
            {p.items.length === 0 ? (
              <p class="empty">No audit records match these filters.</p>
            ) : (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th>#</th>
                      <th>When</th>
                      <th>Action</th>
                      <th>Actor</th>
                      <th>Target</th>
                      <th>Change</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.items.map((a) => (
                      <tr>
                        <td>{a.seq}</td>
                        <td>{when(a.created_at)}</td>
                        <td>
                          <code>{a.action}</code>
                        </td>
                        <td>{a.actor_id ?? "system"}</td>
                        <td>
                          {a.target_type} <code>{a.target_id}</code>
                        </td>
                        <td>
                          <details>
                            <summary>details</summary>
                            <pre>{JSON.stringify({ before: a.before, after: a.after }, null, 1)}</pre>
                          </details>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <div class="actions">
              {cursor && (
                <button type="button" class="secondary" onClick={() => setCursor(undefined)}>
                  First page
                </button>
              )}
              {p.next_cursor && (
                <button type="button" class="secondary" onClick={() => setCursor(p.next_cursor ?? undefined)}>
                  Next page
                </button>
              )}
            </div>
          </>
        )}
      </Loaded>
    </section>
  );
}
