import { useEffect, useState } from "preact/hooks";
import { createContext } from "preact";
import { get, hasRefreshToken, logout, refresh, setSignedOutHandler, type User } from "./api/client";
import { currentPath, Link, match, navigate, usePath, visit } from "./router";
import { Loading } from "./ui";
import { Login, Register } from "./pages/Auth";
import { NewProject, Projects } from "./pages/Projects";
import { ProjectDetail } from "./pages/ProjectDetail";
import { Keys } from "./pages/Keys";
import { Usage } from "./pages/Usage";
import { Activity } from "./pages/Activity";
import { Users } from "./pages/Users";
import { BudgetRequests } from "./pages/BudgetRequests";
import { Alerts } from "./pages/Alerts";
import { Audit } from "./pages/Audit";
import { Settings } from "./pages/Settings";

export const Me = createContext<User | null>(null);

const NAV: [string, string, boolean][] = [
  ["/projects", "Projects", false],
  ["/keys", "Keys", false],
  ["/usage", "Usage", false],
  ["/activity", "Activity", false],
  ["/alerts", "Alerts", true],
  ["/budget-requests", "Budget requests", false],
  ["/users", "Users", true],
  ["/audit", "Audit log", true],
  ["/settings", "Settings", false],
];

const ROUTES: [string, (p: Record<string, string>) => preact.JSX.Element][] = [
  ["/projects", () => <Projects />],
  ["/projects/new", () => <NewProject />],
  ["/projects/:id", (p) => <ProjectDetail id={p.id} tab="overview" />],
  ["/projects/:id/:tab", (p) => <ProjectDetail id={p.id} tab={p.tab} />],
  ["/keys", () => <Keys />],
  ["/usage", () => <Usage />],
  ["/activity", () => <Activity />],
  ["/alerts", () => <Alerts />],
  ["/budget-requests", () => <BudgetRequests />],
  ["/users", () => <Users />],
  ["/audit", () => <Audit />],
  ["/settings", () => <Settings />],
];

export function App() {
  const path = usePath();
  const [me, setMe] = useState<User | null>(null);
  const [checking, setChecking] = useState(hasRefreshToken());

  useEffect(() => {
    setSignedOutHandler(() => {
      setMe(null);
      navigate("/login", true);
    });
    // A reload keeps the tab's session: trade the stored refresh token.
    if (hasRefreshToken())
      refresh()
        .then((ok) => (ok ? get<User>("/users/me").then(setMe) : undefined))
        .catch(() => undefined)
        .finally(() => setChecking(false));
  }, []);

  // Signing in on a deep link (the sign-in form shows on any path) stays there.
  const signedIn = (user: User) => {
    setMe(user);
    const here = currentPath();
    navigate(["/", "/login", "/register"].includes(here) ? "/projects" : here + location.search, true);
  };

  if (checking) return <Loading label="Signing in…" />;
  if (!me) {
    if (path === "/register") return <Register onDone={signedIn} />;
    return <Login onDone={signedIn} />;
  }
  if (path === "/" || path === "/login" || path === "/register") {
    queueMicrotask(() => navigate("/projects", true));
    return <Loading />;
  }
  let page: preact.JSX.Element | null = null;
  for (const [pattern, render] of ROUTES) {
    const params = match(pattern, path);
    if (params) {
      page = render(params);
      break;
    }
  }
  const admin = me.role === "admin";
  return (
    <Me.Provider value={me}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href="/projects" class="brand">
          Iron Cage
        </Link>
        <nav aria-label="Main">
          {NAV.filter(([, , adminOnly]) => admin || !adminOnly).map(([href, label]) => (
            <Link href={href} aria-current={path === href || path.startsWith(href + "/") ? "page" : undefined}>
              {label}
            </Link>
          ))}
        </nav>
        <div class="who">
          <span title={me.email}>
            {me.name} <span class="muted">({me.role})</span>
          </span>
          <button
            type="button"
            class="secondary"
            onClick={async () => {
              await logout();
              setMe(null);
              navigate("/login", true);
            }}
          >
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} key={visit()}>
        {page ?? (
          <section>
            <h1>Page not found</h1>
            <p>
              Nothing lives at <code>{path}</code>. <Link href="/projects">Go to projects</Link>.
            </p>
          </section>
        )}
      </main>
    </Me.Provider>
  );
}
