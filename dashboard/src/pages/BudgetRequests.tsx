import { useContext, useState } from "preact/hooks";
import { all, post, type Schemas } from "../api/client";
import { Me } from "../App";
import { Link } from "../router";
import { Empty, ErrorBanner, Field, Loaded, Status, usd, useForm, useResource, when } from "../ui";
import type { Project } from "./Projects";

type Request = Schemas["BudgetRequestView"];

export function BudgetRequests() {
  const admin = useContext(Me)?.role === "admin";
  const [status, setStatus] = useState("pending");
  const requests = useResource(() => all<Request>("/budget-requests", { status: status || undefined }), [status]);
  const projects = useResource(() => all<Project>("/projects"));
  const users = useResource(() => (admin ? all<Schemas["UserView"]>("/users") : Promise.resolve([])), [admin]);
  const names = new Map((projects.data ?? []).map((p) => [p.id, p]));
  const people = new Map((users.data ?? []).map((u) => [u.id, u.email]));
  return (
    <section>
      <h1>Budget requests</h1>
      <div class="filters">
        <Field label="Show" name="status">
          <select id="f-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="pending">Pending</option>
            <option value="approved">Approved</option>
            <option value="denied">Denied</option>
            <option value="">All</option>
          </select>
        </Field>
      </div>
      <Loaded r={requests}>
        {(list) =>
          list.length === 0 ? (
            <Empty title={status === "pending" ? "No requests waiting" : "No requests"}>
              <p>When a project runs low, anyone on it can ask for more budget from the project's page; requests wait here for an admin.</p>
            </Empty>
          ) : (
            <ul class="plain">
              {list.map((r) => {
                const p = names.get(r.project_id);
                return (
                  <li class="card" data-request={r.id}>
                    <div class="row">
                      <strong>{usd(r.amount_usd)}</strong>
                      <span>
                        for <Link href={`/projects/${r.project_id}`}>{p?.name ?? r.project_id}</Link>
                      </span>
                      <Status value={r.status} />
                      <span class="muted">
                        by {people.get(r.requester_id) ?? r.requester_id}, {when(r.created_at)}
                      </span>
                    </div>
                    <p>“{r.reason}”</p>
                    {p && (
                      <p class="muted">
                        Current budget {usd(p.budget_usd)}, spent {usd(p.spent_usd)}.
                      </p>
                    )}
                    {r.decision_reason && <p class="muted">Decision: {r.decision_reason}</p>}
                    {admin && r.status === "pending" && <Decide request={r} onDone={() => (requests.reload(), projects.reload())} />}
                  </li>
                );
              })}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

function Decide({ request, onDone }: { request: Request; onDone: () => void }) {
  const f = useForm({ reason: "" });
  const decide = (verb: "approve" | "deny") => (e: Event) =>
    f.submit(e, async (v) => {
      const body = { reason: v.reason.trim() || null };
      if (verb === "approve") await post(`/budget-requests/${request.id}/approve`, body);
      else await post(`/budget-requests/${request.id}/deny`, body);
      onDone();
    });
  return (
    <form class="inline-form" aria-label="Decide" onSubmit={decide("approve")}>
      <Field label="Reason (required to deny)" name={`reason-${request.id}`} value={f.values.reason} onInput={f.set("reason")} error={f.errors.reason} />
      <button type="submit" disabled={f.busy}>
        Approve
      </button>
      <button type="button" class="danger" disabled={f.busy} onClick={decide("deny")}>
        Deny
      </button>
      <ErrorBanner error={f.formError} />
    </form>
  );
}
