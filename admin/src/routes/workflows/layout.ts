/**
 * A track drawn as a graph: its statuses as nodes, its transitions (and the engine's own
 * reactions, dashed) as edges, laid out once by dagre, left to right.
 */
import dagre from '@dagrejs/dagre';
import type { Workflow } from '../../api/types';

type Track = Workflow['tracks'][number];
export const NODE_W = 170;
export const NODE_H = 58;
export const ANY = '__any__';

export interface Laid {
  readonly nodes: { id: string; x: number; y: number }[];
  readonly edges: { id: string; source: string; target: string; reaction: boolean; label?: string }[];
}

export function layoutTrack(track: Track): Laid {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 28, ranksep: 70, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  const edges = new Map<string, Laid['edges'][number]>();
  let any = false;
  const add = (from: readonly string[] | '*', to: string, reaction: boolean) => {
    const sources = from === '*' ? ((any = true), [ANY]) : from;
    for (const source of sources) {
      const id = `${source}->${to}`;
      if (source === to) continue;
      if (!edges.has(id) || !reaction) edges.set(id, { id, source, target: to, reaction: reaction && !(edges.get(id)?.reaction === false) });
    }
  };
  for (const t of track.transitions) add(t.from, t.to, false);
  for (const r of track.reactions ?? []) add(r.from, r.to, true);
  for (const s of track.states) g.setNode(s.id, { width: NODE_W, height: NODE_H });
  if (any) g.setNode(ANY, { width: NODE_W, height: NODE_H });
  for (const e of edges.values()) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const nodes = [...track.states.map((s) => s.id), ...(any ? [ANY] : [])].map((id) => {
    const n = g.node(id) as { x: number; y: number };
    return { id, x: n.x - NODE_W / 2, y: n.y - NODE_H / 2 };
  });
  return { nodes, edges: [...edges.values()] };
}
