/**
 * A workflow as a Mermaid state diagram: one box per track, an arrow per transition
 * labelled with who may take it, dashed-style labels (`on …`) for reactions and timers.
 */
import type { TimerDefinition, TrackDefinition, WorkflowDefinition } from './definition.js';

const nodeId = (track: string, state: string) => `${track}_${state}`.replace(/[^A-Za-z0-9_]/g, '_');
const text = (s: string) => s.replace(/[:;"<>{}]/g, ' ').trim();

export function toMermaid(wf: WorkflowDefinition): string {
  const out = ['stateDiagram-v2', `  %% ${wf.label} (${wf.name} v${wf.version})`];
  for (const track of wf.tracks) {
    const body = trackLines(wf, track);
    if (wf.tracks.length === 1) out.push(...body.map((l) => `  ${l}`));
    else out.push(`  state "${text(track.label)}" as ${nodeId('track', track.id)} {`, ...body.map((l) => `    ${l}`), '  }');
  }
  return out.join('\n') + '\n';
}

function trackLines(wf: WorkflowDefinition, track: TrackDefinition): string[] {
  const lines: string[] = [];
  for (const s of track.states) {
    const code = s.code && s.code !== s.id ? ` (${s.code})` : '';
    lines.push(`${nodeId(track.id, s.id)} : ${text(s.label)}${code}`);
  }
  lines.push(`[*] --> ${nodeId(track.id, track.initial)}`);
  const edges = new Map<string, Set<string>>();
  const add = (from: readonly string[] | '*', to: string, label: string) => {
    const sources = from === '*' ? track.states.map((s) => s.id).filter((id) => id !== to) : from;
    for (const f of sources) {
      const key = `${nodeId(track.id, f)} --> ${nodeId(track.id, to)}`;
      edges.set(key, (edges.get(key) ?? new Set()).add(label));
    }
  };
  for (const t of track.transitions) add(t.from, t.to, t.actors.join(', '));
  // A reaction to a timer is drawn as the timer ("after 10m"), not as the event it fires;
  // a timer of another track (a payment deadline cancelling the order) labels the reaction.
  const timerEvents = new Set((track.timers ?? []).map((t) => t.fire));
  const elsewhere = new Map(wf.tracks.filter((t) => t.id !== track.id).flatMap((t) => (t.timers ?? []).map((d) => [d.fire, d] as const)));
  for (const r of track.reactions ?? []) {
    if (timerEvents.has(r.on)) continue;
    const foreign = elsewhere.get(r.on);
    add(r.from, r.to, foreign ? timerLabel(wf, foreign) : `on ${r.on}`);
  }
  for (const t of track.timers ?? []) {
    for (const r of (track.reactions ?? []).filter((x) => x.on === t.fire)) add([t.state], r.to, timerLabel(wf, t));
  }
  for (const [edge, labels] of edges) lines.push(`${edge} : ${text([...labels].join(' / '))}`);
  for (const s of track.states.filter((x) => x.kind === 'terminal')) lines.push(`${nodeId(track.id, s.id)} --> [*]`);
  return lines;
}

function timerLabel(wf: WorkflowDefinition, t: TimerDefinition): string {
  const after = t.after !== undefined ? `${t.after} ${String(wf.settings[t.after] ?? '')}`.trim() : undefined;
  if (t.at !== undefined) return after ? `at the ${t.at} deadline, else after ${after}` : `at the ${t.at} deadline`;
  return `after ${after}`;
}
