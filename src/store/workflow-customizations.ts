/** The merchant's changes to shipped workflows, one row per workflow; absent means as shipped. */
import type { WorkflowCustomization } from '../domain/workflow/customization.js';
import type { Db } from './database.js';

export interface CustomizationRow {
  revision: number;
  settings: WorkflowCustomization['settings'];
  labels: WorkflowCustomization['labels'];
  statuses: WorkflowCustomization['statuses'];
}

/** The columns to read beside an order (aliased `c`), so that one query brings both. */
export const CUSTOMIZATION_COLUMNS = 'c.revision AS c_revision, c.settings AS c_settings, c.labels AS c_labels, c.statuses AS c_statuses';

export interface JoinedCustomization {
  c_revision: number | null;
  c_settings: CustomizationRow['settings'] | null;
  c_labels: CustomizationRow['labels'] | null;
  c_statuses: CustomizationRow['statuses'] | null;
}

export const joinedCustomization = (r: JoinedCustomization): WorkflowCustomization | undefined =>
  r.c_revision === null ? undefined : { revision: r.c_revision, settings: r.c_settings ?? {}, labels: r.c_labels ?? {}, statuses: r.c_statuses ?? [] };

export async function readCustomizations(db: Db, workflow?: string): Promise<Map<string, WorkflowCustomization>> {
  const res = await db.query<CustomizationRow & { workflow: string }>(
    `SELECT workflow, revision, settings, labels, statuses FROM workflow_customizations ${workflow === undefined ? '' : 'WHERE workflow = $1'}`,
    workflow === undefined ? [] : [workflow],
  );
  return new Map(res.rows.map((r) => [r.workflow, { revision: r.revision, settings: r.settings, labels: r.labels, statuses: r.statuses }]));
}

/**
 * Within a transaction: waits for other changes to the workflow (the advisory lock covers a
 * first change, when there is no row yet), then locks its row and reads it as it now is. The
 * row lock also waits for orders being moved into a status of the merchant's own (they hold
 * the row FOR SHARE as they are written, see orders.ts), so a removal counts them.
 */
export async function lockCustomization(tx: Db, workflow: string): Promise<WorkflowCustomization | undefined> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('ordo.workflow_customization'), hashtext($1))", [workflow]);
  const res = await tx.query<CustomizationRow>('SELECT revision, settings, labels, statuses FROM workflow_customizations WHERE workflow = $1 FOR UPDATE', [workflow]);
  const r = res.rows[0];
  return r && { revision: r.revision, settings: r.settings, labels: r.labels, statuses: r.statuses };
}

export async function saveCustomization(tx: Db, workflow: string, c: WorkflowCustomization, now: Date): Promise<void> {
  await tx.query(`INSERT INTO workflow_customizations (workflow, revision, settings, labels, statuses, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (workflow) DO UPDATE SET revision = EXCLUDED.revision, settings = EXCLUDED.settings, labels = EXCLUDED.labels, statuses = EXCLUDED.statuses, updated_at = EXCLUDED.updated_at`,
    [workflow, c.revision, JSON.stringify(c.settings), JSON.stringify(c.labels), JSON.stringify(c.statuses), now]);
}

/** How many orders of the workflow sit in the status. */
export async function ordersInStatus(db: Db, workflow: string, track: string, status: string): Promise<number> {
  const res = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE workflow = $1 AND status_tags @> ARRAY[$2]::text[]', [workflow, `${track}:${status}`]);
  return res.rows[0]!.n;
}
