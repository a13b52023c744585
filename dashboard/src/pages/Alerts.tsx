import { useState } from "preact/hooks";
import { get, post } from "../api/client";
import type { Alert } from "../api/ops";
import { Empty, ErrorBanner, Loaded, useAction, useResource, when } from "../ui";

export function Alerts() {
  const [status, setStatus] = useState<"open" | "acknowledged">("open");
  const r = useResource(() => get<{ items: Alert[] }>("/alerts", { status }), [status]);
  const act = useAction(r.reload);
  return (
    <section>
      <h1>Alerts</h1>
      <div class="tabs" role="group" aria-label="Alert status">
        {(["open", "acknowledged"] as const).map((s) => (
          <button type="button" aria-pressed={status === s} class={status === s ? "tab active" : "tab"} onClick={() => setStatus(s)}>
            {s === "open" ? "Open" : "Acknowledged"}
          </button>
        ))}
      </div>
      <ErrorBanner error={act.error} />
      <Loaded r={r} feature="Alerts">
        {(a) =>
          a.items.length === 0 ? (
            <Empty title={status === "open" ? "No open alerts" : "No acknowledged alerts"}>
              <p>Budget thresholds and anomalies (a key used from too many IPs, sudden spend) raise alerts here. Tune them under Settings.</p>
            </Empty>
          ) : (
            <ul class="plain">
              {a.items.map((x) => (
                <li class={`card alert sev-${x.severity}`}>
                  <div class="row">
                    <span class="badge">{x.severity}</span>
                    <strong>{x.kind}</strong>
                    <span class="muted">{when(x.created_at)}</span>
                  </div>
                  <p>{x.message}</p>
                  {x.status === "open" ? (
                    <button type="button" class="secondary" disabled={act.busy} onClick={() => act.run(() => post(`/alerts/${x.id}/ack`))}>
                      Acknowledge
                    </button>
                  ) : (
                    <span class="muted">acknowledged {when(x.acknowledged_at)}</span>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}
