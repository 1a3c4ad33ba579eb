/**
 * Which workflow `ordo workflow show` prints: what this deployment runs (the preset with the
 * merchant's settings and status names) when a database can be reached, else the preset as shipped.
 */
import type { WorkflowDefinition } from '../domain/workflow/definition.js';
import { createOrdo } from '../engine/ordo.js';
import { inspectDataDir } from '../store/embedded-owner.js';
import { presets } from '../workflows/index.js';
import type { Config } from './config.js';

export interface Shown {
  readonly workflow: WorkflowDefinition;
  /** Where it was read: a sentence for stderr when it is not the deployment's. */
  readonly note?: string;
}

/** DATABASE_URL, else the database of an Ordo running on the data directory; never starts a server of its own. */
async function reachableDatabase(config: Config): Promise<string | undefined> {
  if (config.databaseUrl) return config.databaseUrl;
  const state = await inspectDataDir(config.dataDir);
  return state.kind === 'in-use' ? state.owner.databaseUrl : undefined;
}

export async function workflowToShow(config: Config, name: string, shipped: boolean): Promise<Shown> {
  const preset = presets.get(name);
  if (!preset) throw new Error(`there is no workflow '${name}' (try: ${[...presets.keys()].join(', ')})`);
  if (shipped) return { workflow: preset };
  const databaseUrl = await reachableDatabase(config);
  if (!databaseUrl) return { workflow: preset, note: `no database to read this deployment's changes from (set DATABASE_URL, or start ordo serve): this is '${name}' as shipped` };
  // Read only: a database an older Ordo left is not migrated by a look at a workflow.
  const ordo = await createOrdo({ databaseUrl, migrate: false, poolSize: 1 });
  try {
    return { workflow: (await ordo.workflows.get(name)) ?? preset };
  } finally {
    await ordo.close();
  }
}
