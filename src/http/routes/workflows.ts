/** Workflow routes: what statuses exist, who may move between them, as JSON or a Mermaid diagram. */
import type { FastifyInstance } from 'fastify';
import type { RequestTypeProvider } from '../type-provider.js';
import { Type } from 'typebox';
import type { Ordo } from '../../engine/ordo.js';
import { sendProblem, problem } from '../problems.js';
import { Problem, Workflow, WorkflowList } from '../schemas.js';

export function workflowRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  const tags = ['workflows'];

  r.get('/v1/workflows', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'List the workflows', response: { 200: WorkflowList, 401: Problem } },
  }, async () => ({
    items: ordo.workflows.list().map((w) => ({ name: w.name, version: w.version, label: w.label, description: w.description, tracks: w.tracks.map((t) => t.id) })),
  }));

  r.get('/v1/workflows/:name', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'A workflow: states, transitions, reactions, timers',
      description: 'With ?format=mermaid, the workflow as a Mermaid state diagram (text/vnd.mermaid).',
      params: Type.Object({ name: Type.String({ maxLength: 64 }) }),
      querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('mermaid')])) }, { additionalProperties: false }),
      response: { 200: Workflow, 401: Problem, 404: Problem },
    },
  }, async (req, reply) => {
    const wf = ordo.workflows.get(req.params.name);
    if (!wf) return sendProblem(reply, problem(404, 'unknown_workflow', `there is no workflow '${req.params.name}'`));
    if (req.query.format === 'mermaid') return reply.type('text/vnd.mermaid; charset=utf-8').serializer((x: unknown) => String(x)).send(ordo.workflows.mermaid(wf.name));
    return wf;
  });
}
