// A tiny history router: the app's routes live under Vite's base (/dashboard/).
import { useEffect, useState } from "preact/hooks";
import type { AnchorHTMLAttributes, ComponentChildren } from "preact";

const BASE = import.meta.env.BASE_URL.replace(/\/$/, "");
const listeners = new Set<() => void>();
/** Bumped by every navigation, so following a link to the current page reloads it. */
let visits = 0;
export const visit = () => visits;

export function currentPath(): string {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  return path === "" ? "/" : path;
}

export function navigate(to: string, replace = false) {
  const url = BASE + to;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  visits++;
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

window.addEventListener("popstate", () => {
  visits++;
  listeners.forEach((l) => l());
});

export function usePath(): string {
  const [, setVisit] = useState(visits);
  const path = currentPath();
  useEffect(() => {
    const update = () => setVisit(visits);
    listeners.add(update);
    return () => listeners.delete(update);
  }, []);
  return path;
}

export function useQueryParam(name: string): string | null {
  usePath();
  return new URLSearchParams(location.search).get(name);
}

/** Matches "/projects/:id" against a path; returns the params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split("/");
  const s = path.split("/");
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(":")) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; children: ComponentChildren };

/** An ordinary link (keyboard, middle-click and copy work) that routes in-app on a plain click. */
export function Link({ href, children, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={BASE + href}
      onClick={(e) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
