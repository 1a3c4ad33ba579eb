/** The workflows Ordo ships, each validated when this module loads: a bad preset never starts. */
import type { WorkflowDefinition } from '../domain/workflow/definition.js';
import { assertValidWorkflow } from '../domain/workflow/validate.js';
import { nexway } from './nexway.js';
import { nutickets } from './nutickets.js';
import { standard } from './standard.js';
import { vendure } from './vendure.js';
import { xcart } from './xcart.js';

export const DEFAULT_WORKFLOW = 'standard';

export const presets: ReadonlyMap<string, WorkflowDefinition> = new Map(
  [standard, xcart, nutickets, nexway, vendure].map((wf) => [wf.name, assertValidWorkflow(wf)]),
);

export const findWorkflow = (name: string): WorkflowDefinition | undefined => presets.get(name);
