/** One track as a React Flow diagram: nodes coloured by kind, each with its count and stuck mark; a click opens the orders in it. */
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from '@tanstack/react-router';
import { Background, Handle, MarkerType, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import type { StuckView, Workflow } from '../../api/types';
import { countOf, type Counts } from '../../lib/counts';
import { KIND_STYLE } from '../../lib/kinds';
import { cn } from '../../lib/cn';
import { ANY, layoutTrack, NODE_H, NODE_W } from './layout';

type Track = Workflow['tracks'][number];
type StateData = { label: string; kind?: 'temporary' | 'permanent' | 'terminal'; count?: number; stuck: number; open?: () => void; testId: string };

const StateNode = memo(({ data }: NodeProps<Node<StateData>>) => (
  <div style={{ width: NODE_W, height: NODE_H }}>
    <Handle type="target" position={Position.Left} className="!opacity-0" />
    {/* A mouse click reaches the diagram's onNodeClick; the button answers the keyboard (a click with no pointer: detail 0). */}
    <button type="button" onClick={(e) => e.detail === 0 && data.open?.()} disabled={!data.open} data-testid={data.testId}
      className={cn('relative flex h-full w-full flex-col items-center justify-center rounded-lg px-2 text-center text-xs ring-1 focus-visible:ring-2 focus-visible:ring-indigo-600', data.kind ? KIND_STYLE[data.kind] : 'bg-white text-slate-500 ring-slate-300 ring-dashed')}>
      <span className="font-semibold leading-tight">{data.label}</span>
      {data.count !== undefined ? <span className="mt-0.5 tabular-nums" data-testid={`${data.testId}-count`}>{data.count} order{data.count === 1 ? '' : 's'}</span> : null}
      {data.stuck > 0 ? (
        <span className="absolute -right-2 -top-2 flex h-6 min-w-6 items-center justify-center rounded-full bg-red-600 px-1 text-[11px] font-bold text-white" title={`${data.stuck} stuck`} aria-label={`${data.stuck} stuck`}>{data.stuck}</span>
      ) : null}
    </button>
    <Handle type="source" position={Position.Right} className="!opacity-0" />
  </div>
));
StateNode.displayName = 'StateNode';
const nodeTypes = { state: StateNode };

export function TrackDiagram({ workflow, track, counts, stuck }: { workflow: Workflow; track: Track; counts: Counts | undefined; stuck: StuckView | undefined }) {
  const navigate = useNavigate();
  const laid = useMemo(() => layoutTrack(track), [track]);
  const nodes = useMemo<Node<StateData>[]>(() => laid.nodes.map((n) => {
    const state = track.states.find((s) => s.id === n.id);
    const stuckHere = stuck?.byStatus.find((b) => b.track === track.id && b.status === n.id)?.count ?? 0;
    return {
      id: n.id, type: 'state', position: { x: n.x, y: n.y }, draggable: false, connectable: false,
      data: state ? {
        label: state.label, kind: state.kind, stuck: stuckHere, testId: `node-${workflow.name}-${track.id}-${state.id}`,
        ...(counts ? { count: countOf(counts, track.id, state.id) } : {}),
        open: () => void navigate({ to: '/orders', search: { workflow: workflow.name, status: `${track.id}:${state.id}` } }),
      } : { label: 'any status', stuck: 0, testId: `node-${workflow.name}-${track.id}-any` },
    };
  }), [laid, track, counts, stuck, workflow.name, navigate]);
  const edges = useMemo<Edge[]>(() => laid.edges.map((e) => ({
    id: e.id, source: e.source, target: e.target, markerEnd: { type: MarkerType.ArrowClosed }, animated: false,
    style: e.reaction ? { strokeDasharray: '5 4', stroke: '#94a3b8' } : { stroke: e.source === ANY ? '#cbd5e1' : '#64748b' },
  })), [laid]);
  // A readable zoom: the whole track when it fits, else no smaller than 0.65 and the rest a drag away.
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setWidth(el.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const graphW = Math.max(...laid.nodes.map((n) => n.x)) + NODE_W + 20;
  const graphH = Math.max(...laid.nodes.map((n) => n.y)) + NODE_H + 20;
  const zoom = width ? Math.min(1, Math.max(0.65, (width - 20) / graphW)) : 1;
  const height = Math.min(600, Math.max(160, graphH * zoom + 20));
  return (
    <div ref={box} style={{ height }} className="w-full" data-testid={`diagram-${workflow.name}-${track.id}`}>
      {width ? (
        <ReactFlow key={`${width}-${zoom}`} nodes={nodes} edges={edges} nodeTypes={nodeTypes} onNodeClick={(_, node) => node.data.open?.()}
          defaultViewport={{ x: Math.max(10, (width - graphW * zoom) / 2), y: 10, zoom }} nodesDraggable={false} nodesConnectable={false} elementsSelectable={false}
          proOptions={{ hideAttribution: true }} minZoom={0.3} panOnScroll={false} zoomOnScroll={false} preventScrolling={false}>
          <Background gap={18} color="#e2e8f0" />
        </ReactFlow>
      ) : null}
    </div>
  );
}
