import { get } from "../api/client";
import type { Activity as Feed } from "../api/ops";
import { Empty, Loaded, useResource, when } from "../ui";

function Items({ feed, projectId }: { feed: Feed; projectId?: string }) {
  const items = projectId ? feed.items.filter((i) => i.project_id === projectId) : feed.items;
  if (items.length === 0)
    return (
      <Empty title="Nothing has happened yet">
        <p>Calls, budget changes and key events show up here as they happen. Generate an IC key and make a first call through the SDK.</p>
      </Empty>
    );
  return (
    <ol class="feed">
      {items.map((i) => (
        <li>
          <time dateTime={i.at}>{when(i.at)}</time> <span class="badge">{i.type}</span> {i.summary}
        </li>
      ))}
    </ol>
  );
}

export function ProjectActivity({ projectId }: { projectId: string }) {
  const r = useResource(() => get<Feed>("/activity", { limit: 200 }), [projectId]);
  return (
    <Loaded r={r} feature="Recent activity">
      {(feed) => <Items feed={feed} projectId={projectId} />}
    </Loaded>
  );
}

export function Activity() {
  const r = useResource(() => get<Feed>("/activity", { limit: 50 }));
  return (
    <section>
      <div class="page-head">
        <h1>Recent activity</h1>
        <button type="button" class="secondary" onClick={r.reload}>
          Refresh
        </button>
      </div>
      <Loaded r={r} feature="Recent activity">
        {(feed) => <Items feed={feed} />}
      </Loaded>
    </section>
  );
}
