/**
 * The process environment while agents run. Every active run pushes its
 * variables; the environment is the originals overlaid with every active
 * run's variables in order (the latest wins), and exactly the originals
 * once the last run ends — whatever order runs end in, and on throw.
 */

interface Entry {
  values: Record<string, string>;
}

const active: Entry[] = [];
const originals = new Map<string, string | undefined>();

function set(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function apply(): void {
  for (const [name, value] of originals) set(name, value);
  for (const entry of active) {
    for (const [name, value] of Object.entries(entry.values)) set(name, value);
  }
  if (active.length === 0) originals.clear();
}

/** Puts `values` into `process.env`; returns the token for `leave`. */
export function enter(values: Record<string, string>): object {
  for (const name of Object.keys(values)) {
    if (!originals.has(name)) originals.set(name, process.env[name]);
  }
  const entry: Entry = { values };
  active.push(entry);
  apply();
  return entry;
}

/** Ends the run `token` started. */
export function leave(token: object): void {
  const i = active.indexOf(token as Entry);
  if (i < 0) return;
  active.splice(i, 1);
  apply();
}
