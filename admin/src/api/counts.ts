/** Orders per track and status of one workflow (GET /v1/workflows/{name}/counts), refreshed every few seconds. */
import { useQuery } from '@tanstack/react-query';
import { client } from './client';
import { readCounts, type Counts } from '../lib/counts';

export function useCounts(workflow: string | undefined, refreshMs = 3000) {
  return useQuery({
    queryKey: ['counts', workflow],
    enabled: Boolean(workflow),
    refetchInterval: refreshMs,
    queryFn: async (): Promise<Counts> => {
      const res = await client.GET('/v1/workflows/{name}/counts', { params: { path: { name: workflow! } } });
      if (res.error || !res.data) throw res.error ?? new Error('no counts');
      return readCounts(res.data);
    },
  });
}
