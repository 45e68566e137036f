/** A request's parameters: the Query protocol's flat name → value map. */
export type Params = ReadonlyMap<string, string>;

/** Merges the query string and a form-encoded body into one parameter map (body wins). */
export function parseParams(query: string, body: string | undefined): Map<string, string> {
  const params = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(query)) params.set(k, v);
  if (body !== undefined) for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
  return params;
}

/**
 * Reads a Query-protocol list (`Name.member.1`, `Name.member.2.Field`, …) in index order.
 * A list of scalars has `fields` empty; entries come back as `{ '': value }`.
 * An empty list is sent as `Name=` by the SDK; it reads as no entries.
 */
export function readList(params: Params, name: string): Array<Record<string, string>> {
  const prefix = `${name}.member.`;
  const byIndex = new Map<number, Record<string, string>>();
  for (const [key, value] of params) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf('.');
    const index = Number(dot === -1 ? rest : rest.slice(0, dot));
    if (!Number.isInteger(index) || index < 1) continue;
    const field = dot === -1 ? '' : rest.slice(dot + 1);
    const entry = byIndex.get(index) ?? {};
    entry[field] = value;
    byIndex.set(index, entry);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
}
