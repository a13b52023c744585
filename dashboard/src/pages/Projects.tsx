import { useContext, useState } from "preact/hooks";
import { all, post, type Schemas } from "../api/client";
import { Me } from "../App";
import { Link, navigate } from "../router";
import { checkUsd, Empty, ErrorBanner, Field, FieldError, Loaded, SpendBar, Status, useForm, useResource } from "../ui";

export type Project = Schemas["ProjectView"];

export function Projects() {
  const me = useContext(Me);
  const [archived, setArchived] = useState(false);
  const r = useResource(() => all<Project>("/projects", { status: archived ? "archived" : undefined }), [archived]);
  return (
    <section>
      <div class="page-head">
        <h1>Projects</h1>
        {me?.role === "admin" && (
          <Link href="/projects/new" class="button">
            + Create project
          </Link>
        )}
      </div>
      <label class="check">
        <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.currentTarget.checked)} /> Show archived projects
      </label>
      <Loaded r={r}>
        {(projects) =>
          archived && projects.length === 0 ? (
            <Empty title="No archived projects" />
          ) : projects.length === 0 ? (
            <Empty title="No projects yet">
              <p>
                A project holds a budget, the provider keys in its vault and the IC keys developers use. Create one, add an
                OpenAI or Anthropic key to its vault, then generate IC keys for your developers.
              </p>
              {me?.role === "admin" && (
                <Link href="/projects/new" class="button">
                  Create your first project
                </Link>
              )}
            </Empty>
          ) : (
            <ul class="project-list">
              {projects.map((p) => (
                <li class="card project-card">
                  <div class="row">
                    <h2>
                      <Link href={`/projects/${p.id}`}>{p.name}</Link>
                    </h2>
                    <Status value={p.status} />
                    <span class="muted">{p.budget_period === "none" ? "total budget" : `${p.budget_period} budget`}</span>
                  </div>
                  <SpendBar spent={p.spent_usd} budget={p.budget_usd} soft={p.soft_threshold_pct} hard={p.hard_threshold_pct} />
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

export function NewProject() {
  const f = useForm({
    name: "",
    description: "",
    budget_usd: "",
    budget_period: "monthly",
    soft_threshold_pct: "80",
    hard_threshold_pct: "100",
    allowed_models: "",
  });
  const pct = (field: string, text: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > 100) throw new FieldError(field, "a whole percent from 1 to 100");
    return n;
  };
  return (
    <section class="narrow">
      <h1>New project</h1>
      <form
        class="card"
        onSubmit={(e) =>
          f.submit(e, async (v) => {
            const body: Schemas["CreateProject"] = {
              name: v.name,
              description: v.description,
              budget_usd: checkUsd("budget_usd", v.budget_usd),
              budget_period: v.budget_period as Schemas["BudgetPeriod"],
              soft_threshold_pct: pct("soft_threshold_pct", v.soft_threshold_pct),
              hard_threshold_pct: pct("hard_threshold_pct", v.hard_threshold_pct),
              allowed_models: lines(v.allowed_models),
            };
            const p = await post<Project>("/projects", body);
            navigate(`/projects/${p.id}`);
          })
        }
      >
        <ErrorBanner error={f.formError} />
        <Field label="Name" name="name" required maxLength={200} value={f.values.name} onInput={f.set("name")} error={f.errors.name} placeholder="Production Agent" />
        <Field label="Description" name="description" value={f.values.description} onInput={f.set("description")} error={f.errors.description} />
        <div class="grid2">
          <Field label="Budget (USD)" name="budget_usd" required inputMode="decimal" value={f.values.budget_usd} onInput={f.set("budget_usd")} error={f.errors.budget_usd} placeholder="500" />
          <Field label="Budget period" name="budget_period" error={f.errors.budget_period}>
            <select id="f-budget_period" value={f.values.budget_period} onChange={f.set("budget_period")}>
              <option value="none">One total budget</option>
              <option value="daily">Daily</option>
              <option value="weekly">Weekly</option>
              <option value="monthly">Monthly</option>
            </select>
          </Field>
          <Field label="Warn at (% of budget)" name="soft_threshold_pct" inputMode="numeric" value={f.values.soft_threshold_pct} onInput={f.set("soft_threshold_pct")} error={f.errors.soft_threshold_pct} />
          <Field label="Stop at (% of budget)" name="hard_threshold_pct" inputMode="numeric" value={f.values.hard_threshold_pct} onInput={f.set("hard_threshold_pct")} error={f.errors.hard_threshold_pct} />
        </div>
        <Field label="Allowed models (one per line or comma-separated; empty allows any)" name="allowed_models" error={f.errors.allowed_models}>
          <textarea id="f-allowed_models" rows={3} value={f.values.allowed_models} onInput={f.set("allowed_models")} placeholder="gpt-4o-mini, claude-*" />
        </Field>
        <div class="actions">
          <button type="submit" disabled={f.busy}>
            {f.busy ? "Creating…" : "Create project"}
          </button>
          <Link href="/projects" class="button secondary">
            Cancel
          </Link>
        </div>
      </form>
    </section>
  );
}

export { lines };
