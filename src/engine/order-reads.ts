/**
 * The back office's questions about many orders at once: a search with every filter, the
 * orders that look stuck, the per-status counts, the tracked SKUs, and whether the store is
 * empty. Reads only; the HTTP routes answer with what these return.
 */
import type pg from 'pg';
import type { Actor } from '../domain/actor.js';
import type { Clock } from './clock.js';
import { countOrdersByStatus, type StatusCounts } from '../store/order-counts.js';
import { hasOrders, listSkus, searchOrders, stuckOrders, type OrderSearch, type StuckRow } from '../store/order-queries.js';
import { presentPage, type OrderPage } from './order-view.js';
import type { WorkflowCatalog } from './workflow-catalog.js';

export type OrderSearchQuery = Omit<OrderSearch, 'overdueAt' | 'after' | 'limit'> & {
  /** Only orders with a timer that is due now and has not fired. */
  readonly overdue?: boolean;
  readonly cursor?: string;
  readonly limit: number;
};

export interface StuckOrders {
  readonly workflow: string;
  readonly now: Date;
  readonly olderThan: number;
  readonly total: number;
  /** Per temporary status the stuck orders sit in. */
  readonly byStatus: readonly { readonly track: string; readonly status: string; readonly count: number }[];
  readonly rows: readonly StuckRow[];
}

export interface SkuPage {
  readonly items: readonly { readonly sku: string; readonly onHand: number; readonly reserved: number; readonly available: number; readonly backorders: boolean }[];
  readonly nextCursor: string | null;
}

export class OrderReads {
  constructor(private readonly deps: { pool: pg.Pool; clock: Clock; workflows: WorkflowCatalog }) {}

  /** Orders matching every filter, newest first, as `actor` sees them. */
  async search(query: OrderSearchQuery, actor: Actor): Promise<OrderPage> {
    const { overdue, cursor, limit, ...filters } = query;
    const rows = await searchOrders(this.deps.pool, {
      ...filters, limit: limit + 1,
      ...(overdue ? { overdueAt: this.deps.clock.now() } : {}),
      ...(cursor ? { after: cursor } : {}),
    });
    const workflows = await this.deps.workflows.list();
    return presentPage(rows, limit, workflows, actor);
  }

  /**
   * A workflow's orders sitting in a temporary status unchanged for `olderThan` seconds, or
   * waiting on a due timer, oldest first; undefined for a workflow this Ordo does not have.
   */
  async stuck(workflow: string, olderThan: number, limit: number): Promise<StuckOrders | undefined> {
    const wf = await this.deps.workflows.get(workflow);
    if (!wf) return undefined;
    const now = this.deps.clock.now();
    const temporary = wf.tracks.flatMap((t) => t.states.filter((s) => s.kind === 'temporary').map((s) => `${t.id}:${s.id}`));
    const found = await stuckOrders(this.deps.pool, { workflow: wf.name, temporary, now, unchangedSince: new Date(now.getTime() - olderThan * 1000), limit });
    // Counted on the temporary statuses the stuck orders sit in: a permanent one is where orders may rest.
    const marked = new Set(temporary);
    const perStatus = new Map<string, { track: string; status: string; count: number }>();
    for (const group of found.byStatus) {
      for (const [track, status] of Object.entries(group.status)) {
        const key = `${track}:${status}`;
        if (!marked.has(key)) continue;
        const entry = perStatus.get(key) ?? { track, status, count: 0 };
        perStatus.set(key, { ...entry, count: entry.count + group.count });
      }
    }
    return { workflow: wf.name, now, olderThan, total: found.total, byStatus: [...perStatus.values()], rows: found.rows };
  }

  /** How many orders of a workflow are in each status of each track; undefined for an unknown workflow. */
  async counts(workflow: string): Promise<{ total: number; tracks: StatusCounts } | undefined> {
    return this.deps.workflows.has(workflow) ? countOrdersByStatus(this.deps.pool, workflow) : undefined;
  }

  /** The SKUs whose stock is tracked, by SKU. */
  async skus(query: { readonly q?: string; readonly cursor?: string; readonly limit: number }): Promise<SkuPage> {
    const rows = await listSkus(this.deps.pool, { ...(query.q ? { q: query.q } : {}), ...(query.cursor ? { after: query.cursor } : {}), limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    return { items: page.map((s) => ({ ...s, available: s.onHand - s.reserved })), nextCursor: rows.length > query.limit ? page[page.length - 1]!.sku : null };
  }

  /** Whether the store has any order (the demo fills an empty store only). */
  hasOrders(): Promise<boolean> {
    return hasOrders(this.deps.pool);
  }
}
