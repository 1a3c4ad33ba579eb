/**
 * How the order search text (order_search, `searchText` in order-rows.ts) is matched: it
 * contains `q`, lowercased, anywhere. The trigram index finds the candidates.
 *
 * An email's domain is shared by a large share of customers (gmail.com, outlook.com): its
 * trigrams select nothing, yet each has a posting list of nearly every order, and the index
 * decodes them all to intersect them (about 30 ms at a million orders for a one-row match).
 * So a `q` holding a local part of three characters or more is looked up in the index by the
 * local part and its `@` alone, and the whole of `q` is checked on the few rows found (strpos is
 * no index condition, so the planner keeps it to those rows): the same orders, a tenth of the time.
 */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (m) => `\\${m}`);

/** The condition on order_search's `search` for `q` (trimmed and lowercased), its values added by `param`. */
export function textMatch(q: string, param: (value: unknown) => string): string {
  const at = q.indexOf('@');
  if (at < 3 || at === q.length - 1) return `search LIKE ${param(`%${escapeLike(q)}%`)}`;
  return `search LIKE ${param(`%${escapeLike(q.slice(0, at + 1))}%`)} AND strpos(search, ${param(q)}) > 0`;
}
