/** Every workflow's definition, read once and kept: the badges, filters and diagrams need their statuses. */
import { useQuery } from '@tanstack/react-query';
import { client } from './client';
import type { Workflow } from './types';

export function useWorkflowDefs() {
  return useQuery({
    queryKey: ['workflow-defs'],
    staleTime: 60_000,
    queryFn: async (): Promise<Map<string, Workflow>> => {
      const list = await client.GET('/v1/workflows');
      if (list.error || !list.data) throw list.error ?? new Error('no workflows');
      const defs = await Promise.all(list.data.items.map(async (w) => {
        const res = await client.GET('/v1/workflows/{name}', { params: { path: { name: w.name } } });
        if (res.error || !res.data) throw res.error ?? new Error(`no workflow ${w.name}`);
        return res.data as Workflow;
      }));
      return new Map(defs.map((d) => [d.name, d]));
    },
  });
}

/** Whether the server runs a test clock (its document then has POST /v1/clock/advance). */
export function useTestClock() {
  return useQuery({
    queryKey: ['test-clock'],
    staleTime: Infinity,
    queryFn: async () => {
      const res = await fetch('/openapi.json');
      const doc = (await res.json()) as { paths?: Record<string, unknown> };
      return Boolean(doc.paths?.['/v1/clock/advance']);
    },
  });
}
