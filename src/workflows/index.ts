/** The workflows Ordo ships, each validated when this module loads: a bad preset never starts. */
import type { WorkflowDefinition } from '../domain/workflow/definition.js';
import { assertValidWorkflow } from '../domain/workflow/validate.js';
import { standard } from './standard.js';

export const DEFAULT_WORKFLOW = 'standard';

export const presets: ReadonlyMap<string, WorkflowDefinition> = new Map(
  [standard].map((wf) => [wf.name, assertValidWorkflow(wf)]),
);

export const findWorkflow = (name: string): WorkflowDefinition | undefined => presets.get(name);
