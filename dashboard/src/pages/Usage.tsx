import { useContext, useState } from "preact/hooks";
import { all, get, raw, withQuery, type User } from "../api/client";
import { Me } from "../App";
import type { Daily, KeyRow, ModelRow, ProjectRow, SpendSeries } from "../api/ops";
import { SpendChart, type Point } from "../chart";
import { Empty, ErrorBanner, Field, Loaded, usd, useResource } from "../ui";
import type { Project } from "./Projects";

const DAY = 86_400_000;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export function dailyPoints(d: Daily): Point[] {
  return d.days.map((x) => ({ label: x.date, t: Date.parse(x.date + "T00:00:00Z") / 1000, spend: Number(x.spend_usd), requests: x.requests }));
}

/** The last 7 days of spend, optionally of one project. */
export function SevenDays({ projectId }: { projectId?: string }) {
  const r = useResource(() => get<Daily>("/analytics/daily", { days: 7, project_id: projectId }), [projectId]);
  return (
    <Loaded r={r} feature="The spend chart">
      {(d) =>
        d.days.every((x) => Number(x.spend_usd) === 0) ? (
          <Empty title="No spend in the last 7 days">
            <p>Spend appears here once developers make calls with this project's IC keys.</p>
          </Empty>
        ) : (
          <SpendChart points={dailyPoints(d)} title="Spend per day, last 7 days" />
        )
      }
    </Loaded>
  );
}

type Breakdown = "projects" | "models" | "keys" | "users";

export function Usage() {
  const today = new Date();
  const [range, setRange] = useState({ from: isoDate(new Date(today.getTime() - 6 * DAY)), to: isoDate(today) });
  const [by, setBy] = useState<Breakdown>("projects");
  const [projectId, setProjectId] = useState("");
  const projects = useResource(() => all<Project>("/projects"));
  const admin = useContext(Me)?.role === "admin";
  const users = useResource(() => (admin ? all<User>("/users") : Promise.resolve([])), [admin]);
  const emails = new Map((users.data ?? []).map((u) => [u.id, u.email]));
  const query = {
    from: range.from + "T00:00:00Z",
    to: isoDate(new Date(Date.parse(range.to) + DAY)) + "T00:00:00Z",
    project_id: projectId || undefined,
  };
  const key = JSON.stringify(query);
  const spend = useResource(() => get<SpendSeries>("/analytics/spend", { ...query, bucket: "day" }), [key]);
  const breakdown = useResource(
    () => get<{ rows: (ProjectRow | ModelRow | KeyRow)[] }>(`/analytics/${by === "users" ? "keys" : by}`, query),
    [key, by],
  );
  const [exportError, setExportError] = useState<string>();

  async function exportCsv() {
    setExportError(undefined);
    try {
      const res = await raw("GET", withQuery("/analytics/export.csv", query));
      const blob = await res.blob();
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = `iron-usage-${range.from}-to-${range.to}.csv`;
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (e) {
      setExportError((e as Error).message);
    }
  }

  return (
    <section>
      <div class="page-head">
        <h1>Usage</h1>
        <button type="button" class="secondary" onClick={exportCsv}>
          Export CSV
        </button>
      </div>
      <ErrorBanner error={exportError} />
      <form class="filters" aria-label="Usage filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="From" name="from" type="date" value={range.from} max={range.to} onInput={(e: Event) => setRange({ ...range, from: (e.currentTarget as HTMLInputElement).value })} />
        <Field label="To" name="to" type="date" value={range.to} min={range.from} onInput={(e: Event) => setRange({ ...range, to: (e.currentTarget as HTMLInputElement).value })} />
        <Field label="Project" name="project_id">
          <select id="f-project_id" value={projectId} onChange={(e) => setProjectId(e.currentTarget.value)}>
            <option value="">All projects</option>
            {(projects.data ?? []).map((p) => (
              <option value={p.id}>{p.name}</option>
            ))}
          </select>
        </Field>
      </form>
      <Loaded r={spend} feature="Usage analytics">
        {(s) => (
          <>
            <div class="stats">
              <div class="stat">
                <span class="muted">Spend</span>
                <strong data-testid="total-spend">{usd(s.total_usd)}</strong>
              </div>
              <div class="stat">
                <span class="muted">Requests</span>
                <strong>{s.requests.toLocaleString()}</strong>
              </div>
            </div>
            <SpendChart
              title={`Spend per day, ${range.from} to ${range.to}`}
              points={s.series.map((p) => ({ label: p.t.slice(0, 10), t: Date.parse(p.t) / 1000, spend: Number(p.spend_usd), requests: p.requests }))}
            />
          </>
        )}
      </Loaded>
      <div class="tabs" role="group" aria-label="Break down by">
        {(["projects", "models", "keys", "users"] as Breakdown[]).map((b) => (
          <button type="button" aria-pressed={by === b} class={by === b ? "tab active" : "tab"} onClick={() => setBy(b)}>
            By {b === "keys" ? "key" : b.slice(0, -1)}
          </button>
        ))}
      </div>
      {!spend.error && (
        <Loaded r={breakdown} feature="Usage breakdown">
          {(b) => <BreakdownTable by={by} rows={b.rows} emails={emails} />}
        </Loaded>
      )}
    </section>
  );
}

function BreakdownTable({ by, rows, emails }: { by: Breakdown; rows: (ProjectRow | ModelRow | KeyRow)[]; emails: Map<string, string> }) {
  if (rows.length === 0)
    return (
      <Empty title="No usage in this range">
        <p>Pick a wider date range, or generate an IC key and make a call through the SDK.</p>
      </Empty>
    );
  let head: string[];
  let body: (string | number)[][];
  if (by === "projects") {
    head = ["Project", "Requests", "Spend", "This period / budget"];
    body = (rows as ProjectRow[]).map((r) => [r.project_name, r.requests, usd(r.spend_usd), `${usd(r.period_spent_usd)} / ${usd(r.budget_usd)}`]);
  } else if (by === "models") {
    head = ["Model", "Requests", "Input tokens", "Output tokens", "Spend"];
    body = (rows as ModelRow[]).map((r) => [r.model, r.requests, r.input_tokens, r.output_tokens, usd(r.spend_usd)]);
  } else if (by === "keys") {
    head = ["Key", "Prefix", "Requests", "Spend"];
    body = (rows as KeyRow[]).map((r) => [r.key_name, r.display_prefix, r.requests, usd(r.spend_usd)]);
  } else {
    // Per user: the keys' rows summed by owner.
    const sums = new Map<string, { requests: number; spend: number }>();
    for (const r of rows as KeyRow[]) {
      const s = sums.get(r.user_id) ?? { requests: 0, spend: 0 };
      s.requests += r.requests;
      s.spend += Number(r.spend_usd);
      sums.set(r.user_id, s);
    }
    head = ["User", "Requests", "Spend"];
    body = [...sums].map(([user, s]) => [emails.get(user) ?? user, s.requests, usd(s.spend.toFixed(6))]);
  }
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            {head.map((h) => (
              <th>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {body.map((row) => (
            <tr>
              {row.map((c) => (
                <td>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
