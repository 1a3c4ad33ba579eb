/**
 * Workflow routes: what statuses exist, who may move between them, as JSON or a Mermaid
 * diagram; and the merchant's changes: settings, status names, statuses of its own.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RequestTypeProvider } from '../type-provider.js';
import { Type } from 'typebox';
import type { Result } from '../../domain/result.js';
import type { WorkflowDefinition } from '../../domain/workflow/definition.js';
import type { Ordo } from '../../engine/ordo.js';
import { sendProblem, problem, rejectionProblem } from '../problems.js';
import { Problem, SettingChanges, StatusName, Workflow, WorkflowList } from '../schemas.js';

/** The workflow as the API shows it: as shipped unless the merchant changed it. */
const view = (wf: WorkflowDefinition) => ({ ...wf, revision: wf.revision ?? 0, customStatuses: wf.customStatuses === true });

export function workflowRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  const tags = ['workflows'];
  const Name = Type.Object({ name: Type.String({ maxLength: 64 }) });
  const StatusParams = Type.Object({ name: Type.String({ maxLength: 64 }), track: Type.String({ maxLength: 64 }), status: Type.String({ maxLength: 64 }) });
  const unknown = (reply: FastifyReply, name: string) => sendProblem(reply, problem(404, 'unknown_workflow', `there is no workflow '${name}'`));
  const answer = (reply: FastifyReply, result: Result<WorkflowDefinition>) => (result.ok ? view(result.value) : rejectionProblem(reply, result));

  r.get('/v1/workflows', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'List the workflows', description: 'Every workflow this deployment runs (the presets and standard), with its tracks.', response: { 200: WorkflowList, 401: Problem } },
  }, async () => ({
    items: (await ordo.workflows.list()).map((w) => ({ name: w.name, version: w.version, label: w.label, description: w.description, tracks: w.tracks.map((t) => t.id) })),
  }));

  r.get('/v1/workflows/:name', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'A workflow: states, transitions, reactions, timers, settings',
      description: "As this deployment runs it, the merchant's changes included. With ?format=mermaid, as a Mermaid state diagram (text/vnd.mermaid).",
      params: Name,
      querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('mermaid')])) }, { additionalProperties: false }),
      response: {
        200: { description: 'The workflow, as JSON or (format=mermaid) as a Mermaid diagram', content: { 'application/json': { schema: Workflow }, 'text/vnd.mermaid': { schema: Type.String({ examples: ['stateDiagram-v2\n  [*] --> order_draft'] }) } } },
        400: Problem, 401: Problem, 404: Problem,
      },
    },
  }, async (req, reply) => {
    const wf = await ordo.workflows.get(req.params.name);
    if (!wf) return unknown(reply, req.params.name);
    if (req.query.format === 'mermaid') return reply.type('text/vnd.mermaid; charset=utf-8').serializer((x: unknown) => String(x)).send(await ordo.workflows.mermaid(wf.name));
    return view(wf);
  });

  r.patch('/v1/workflows/:name/settings', {
    config: { access: 'admin' },
    schema: {
      tags,
      summary: "Changes the workflow's settings for this deployment",
      description: 'Each value keeps the type of its default (durations like `10m`, `72h`, `6d`; whole numbers; shares 0-100; true/false); null puts the default back. Orders use the new values from their next step: a timer already running keeps its due time.',
      params: Name,
      body: SettingChanges,
      response: { 200: Workflow, 401: Problem, 403: Problem, 404: Problem, 422: Problem },
    },
  }, async (req, reply) => {
    if (!ordo.workflows.has(req.params.name)) return unknown(reply, req.params.name);
    return answer(reply, await ordo.workflows.changeSettings(req.params.name, req.body));
  });

  r.put('/v1/workflows/:name/statuses/:track/:status', {
    config: { access: 'admin' },
    schema: {
      tags,
      summary: 'Renames a status, or adds a status of your own',
      description: "A status the workflow ships with keeps its id and gets the new name (admins and customers see it). Where the workflow allows it (X-Cart), a new id adds a status of the merchant's own: an admin sets it from any status, it moves no stock and no rule moves an order out of it.",
      params: StatusParams,
      body: StatusName,
      response: { 200: Workflow, 401: Problem, 403: Problem, 404: Problem, 422: Problem },
    },
  }, async (req, reply) => {
    if (!ordo.workflows.has(req.params.name)) return unknown(reply, req.params.name);
    return answer(reply, await ordo.workflows.nameStatus(req.params.name, req.params.track, req.params.status, req.body.label));
  });

  r.delete('/v1/workflows/:name/statuses/:track/:status', {
    config: { access: 'admin' },
    schema: {
      tags,
      summary: 'Removes a status of your own',
      description: "Refused for the workflow's own statuses (they may only be renamed) and while any order is in the status.",
      params: StatusParams,
      response: { 200: Workflow, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
    },
  }, async (req, reply) => {
    if (!ordo.workflows.has(req.params.name)) return unknown(reply, req.params.name);
    return answer(reply, await ordo.workflows.removeStatus(req.params.name, req.params.track, req.params.status));
  });
}
