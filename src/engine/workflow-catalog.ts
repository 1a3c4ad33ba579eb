/**
 * The workflows this deployment runs: the shipped presets with the merchant's changes
 * (settings, status names, statuses of its own) read from the database. Commands read the
 * changes together with the order, and a new order's save checks the revision it was decided
 * on (`latest`), so every process applies a change from its next command.
 */
import type pg from 'pg';
import { AS_SHIPPED, changeSettings, customize, nameStatus, removeStatus, type WorkflowCustomization } from '../domain/workflow/customization.js';
import type { SettingValue, WorkflowDefinition } from '../domain/workflow/definition.js';
import { toMermaid } from '../domain/workflow/mermaid.js';
import { assertValidWorkflow } from '../domain/workflow/validate.js';
import { accept, reject, type Rejection, type Result } from '../domain/result.js';
import { inTransaction } from '../store/database.js';
import { lockCustomization, ordersInStatus, readCustomizations, saveCustomization } from '../store/workflow-customizations.js';
import { presets } from '../workflows/index.js';
import type { Clock } from './clock.js';
import { Refused, refusable } from './refused.js';

type Change = (preset: WorkflowDefinition, c: WorkflowCustomization) => Result<WorkflowCustomization>;

export class WorkflowCatalog {
  /** The latest build of each customized workflow: a pure function of stored data, kept to spare rebuilding it per command. */
  #built = new Map<string, WorkflowDefinition>();
  /** Each workflow at the newest revision this process has read (its preset before any change is read). */
  #latest = new Map<string, WorkflowDefinition>();

  constructor(private readonly deps: { readonly pool: pg.Pool; readonly clock: Clock }) {}

  has(name: string): boolean {
    return presets.has(name);
  }

  /** The workflow `name` with the changes `c` (as read beside an order); undefined if Ordo has no such workflow. */
  resolve(name: string, c: WorkflowCustomization | undefined): WorkflowDefinition | undefined {
    const wf = this.build(name, c, true);
    // Revisions only grow: the newest seen is the best guess of what is stored now.
    if (wf) this.#seen(name, wf);
    return wf;
  }

  /**
   * The workflow as this process last saw it stored, without a round trip once it has seen it:
   * for a new order, whose save then checks that the workflow is still at that revision (and
   * is decided again on a fresh read if not: `get`).
   */
  async latest(name: string): Promise<WorkflowDefinition | undefined> {
    return this.#latest.get(name) ?? this.get(name);
  }

  /** Only builds of committed changes are kept: a change still in its transaction may yet roll back. */
  private build(name: string, c: WorkflowCustomization | undefined, keep: boolean): WorkflowDefinition | undefined {
    const preset = presets.get(name);
    if (!preset || !c || c.revision === 0) return preset;
    const cached = this.#built.get(name);
    if (cached?.revision === c.revision) return cached;
    const built = assertValidWorkflow(customize(preset, c));
    if (keep && (cached?.revision ?? 0) < c.revision) this.#built.set(name, built);
    return built;
  }

  async get(name: string): Promise<WorkflowDefinition | undefined> {
    if (!presets.has(name)) return undefined;
    return this.resolve(name, (await readCustomizations(this.deps.pool, name)).get(name));
  }

  async list(): Promise<WorkflowDefinition[]> {
    const changes = await readCustomizations(this.deps.pool);
    return [...presets.keys()].map((name) => this.resolve(name, changes.get(name))!);
  }

  async mermaid(name: string): Promise<string | undefined> {
    const wf = await this.get(name);
    return wf && toMermaid(wf);
  }

  /** Sets settings (null puts a default back). */
  changeSettings(name: string, changes: Readonly<Record<string, SettingValue | null>>): Promise<Result<WorkflowDefinition>> {
    return this.change(name, (preset, c) => changeSettings(preset, c, changes));
  }

  /** Renames a status, or adds one of the merchant's own where the workflow allows it. */
  nameStatus(name: string, track: string, status: string, label: string): Promise<Result<WorkflowDefinition>> {
    return this.change(name, (preset, c) => nameStatus(preset, c, track, status, label));
  }

  /** Removes a status of the merchant's own, unless an order is in it (that order would have nowhere to be). */
  removeStatus(name: string, track: string, status: string): Promise<Result<WorkflowDefinition>> {
    return this.change(name, (preset, c) => removeStatus(preset, c, track, status), async (tx) => {
      const n = await ordersInStatus(tx, name, track, status);
      return n === 0 ? undefined : reject('status_in_use', `${n} order(s) are in '${status}'; move them first`, { track, status, orders: n });
    });
  }

  private async change(name: string, decide: Change, check?: (tx: pg.PoolClient) => Promise<Rejection | undefined>): Promise<Result<WorkflowDefinition>> {
    const preset = presets.get(name);
    if (!preset) return reject('unknown_workflow', `there is no workflow '${name}'`, { workflow: name });
    const changed = await refusable<Result<WorkflowDefinition>, Rejection>(() =>
      inTransaction(this.deps.pool, async (tx) => {
        const current = (await lockCustomization(tx, name)) ?? AS_SHIPPED;
        const next = decide(preset, current);
        if (!next.ok) throw new Refused(next);
        const refused = await check?.(tx);
        if (refused) throw new Refused(refused);
        await saveCustomization(tx, name, next.value, this.deps.clock.now());
        return accept(this.build(name, next.value, false)!);
      }),
    );
    // Committed: the next new order here is decided on it without reading it back.
    if (changed.ok) this.#seen(name, changed.value);
    return changed;
  }

  /** Keeps `wf` as the latest of its workflow, unless a newer revision was seen already. */
  #seen(name: string, wf: WorkflowDefinition): void {
    if ((this.#latest.get(name)?.revision ?? -1) < (wf.revision ?? 0)) this.#latest.set(name, wf);
  }
}
