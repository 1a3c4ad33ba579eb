/**
 * Load-time validation. Every finding is an error: a workflow that could strand an order
 * (a temporary state with no way out, an unreachable state, a timer whose event nothing
 * handles) must not reach production.
 */
import { ACTOR_KINDS } from '../actor.js';
import { parseDuration } from '../duration.js';
import type { Guard, TrackDefinition, WorkflowDefinition } from './definition.js';
import { STATE_KINDS, STOCK_EFFECTS } from './definition.js';

export class WorkflowDefinitionError extends Error {
  constructor(
    readonly workflow: string,
    readonly problems: readonly string[],
  ) {
    super(`workflow '${workflow}' is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'WorkflowDefinitionError';
  }
}

export function validateWorkflow(wf: WorkflowDefinition): readonly string[] {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9_-]*$/.test(wf.name)) problems.push(`name '${wf.name}' must be lower-case letters, digits, - or _`);
  if (!Number.isInteger(wf.version) || wf.version < 1) problems.push('version must be a positive integer');
  if (wf.tracks.length === 0) problems.push('it has no tracks');
  const trackIds = new Set<string>();
  for (const track of wf.tracks) {
    if (trackIds.has(track.id)) problems.push(`track '${track.id}' is defined twice`);
    trackIds.add(track.id);
  }
  const statesOf = new Map(wf.tracks.map((t) => [t.id, new Set(t.states.map((s) => s.id))]));
  const checkGuards = (where: string, guards: readonly Guard[] | undefined) => {
    const unwrap = (g: Guard): Guard => (g.kind === 'not' ? unwrap(g.guard) : g);
    for (const g of (guards ?? []).map(unwrap)) {
      if (g.kind === 'settingOn' && typeof wf.settings[g.setting] !== 'boolean') problems.push(`${where}: guard names '${g.setting}', which is not a yes/no setting`);
      if (g.kind !== 'statusIn' && g.kind !== 'statusNotIn') continue;
      const states = statesOf.get(g.track);
      if (!states) problems.push(`${where}: guard names unknown track '${g.track}'`);
      else for (const s of g.states) if (!states.has(s)) problems.push(`${where}: guard names unknown state '${g.track}.${s}'`);
    }
  };
  for (const track of wf.tracks) problems.push(...validateTrack(wf, track, checkGuards, statesOf));
  for (const name of Object.keys(wf.settingNotes ?? {})) if (!Object.hasOwn(wf.settings, name)) problems.push(`a note describes setting '${name}', which is not defined`);
  return problems;
}

export function assertValidWorkflow(wf: WorkflowDefinition): WorkflowDefinition {
  const problems = validateWorkflow(wf);
  if (problems.length > 0) throw new WorkflowDefinitionError(wf.name, problems);
  return wf;
}

function validateTrack(
  wf: WorkflowDefinition,
  track: TrackDefinition,
  checkGuards: (where: string, guards: readonly Guard[] | undefined) => void,
  statesOf: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const problems: string[] = [];
  const at = `track '${track.id}'`;
  const ids = new Set<string>();
  for (const s of track.states) {
    if (ids.has(s.id)) problems.push(`${at}: state '${s.id}' is defined twice`);
    ids.add(s.id);
    if (!STATE_KINDS.includes(s.kind)) problems.push(`${at}: state '${s.id}' has unknown kind '${s.kind}'`);
    if (s.stock && !STOCK_EFFECTS.includes(s.stock)) problems.push(`${at}: state '${s.id}' has unknown stock effect '${s.stock}'`);
    if (s.customerAlias && !statesOf.get(track.id)?.has(s.customerAlias)) problems.push(`${at}: state '${s.id}' is shown as unknown state '${s.customerAlias}'`);
  }
  const known = (id: string, where: string) => {
    if (!ids.has(id)) problems.push(`${at}: ${where} names unknown state '${id}'`);
  };
  known(track.initial, 'the initial state');

  // Edges of the state graph, from transitions and reactions alike.
  const edges = new Map<string, Set<string>>([...ids].map((id) => [id, new Set<string>()]));
  const addEdges = (from: readonly string[] | '*', to: string, where: string) => {
    known(to, where);
    const sources = from === '*' ? [...ids].filter((id) => id !== to) : from;
    for (const f of sources) {
      known(f, where);
      if (f !== to) edges.get(f)?.add(to);
    }
  };
  track.transitions.forEach((t, i) => {
    const where = `transition #${i + 1} (to '${t.to}')`;
    addEdges(t.from, t.to, where);
    if (t.actors.length === 0) problems.push(`${at}: ${where} names no actor who may take it`);
    for (const a of t.actors) if (!ACTOR_KINDS.includes(a)) problems.push(`${at}: ${where} names unknown actor '${a}'`);
    checkGuards(`${at}: ${where}`, t.guards);
  });
  const handled = new Map<string, Set<string>>(); // event -> states it is handled in
  (track.reactions ?? []).forEach((r, i) => {
    const where = `reaction #${i + 1} (on '${r.on}')`;
    addEdges(r.from, r.to, where);
    // A '*' reaction never fires in its own target state, so it does not handle the event there.
    const sources = r.from === '*' ? [...ids].filter((id) => id !== r.to) : r.from;
    const set = handled.get(r.on) ?? new Set<string>();
    for (const s of sources) set.add(s);
    handled.set(r.on, set);
    checkGuards(`${at}: ${where}`, r.guards);
    const entered = /^entered:([^.]+)\.(.+)$/.exec(r.on);
    if (entered && !statesOf.get(entered[1]!)?.has(entered[2]!)) problems.push(`${at}: ${where} listens for entering unknown state '${entered[1]}.${entered[2]}'`);
  });
  for (const timer of track.timers ?? []) {
    const where = `timer '${timer.name}'`;
    known(timer.state, where);
    if (timer.after === undefined && timer.at === undefined) problems.push(`${at}: ${where} has neither a duration setting (after) nor a deadline (at)`);
    if (timer.backoff && !(timer.backoff.factor >= 1)) problems.push(`${at}: ${where} backs off by a factor below 1`);
    for (const name of [timer.after, timer.restartOnBasketChange, timer.backoff?.max]) {
      if (name === undefined) continue;
      const setting = wf.settings[name];
      if (setting === undefined) problems.push(`${at}: ${where} waits for setting '${name}', which is not defined`);
      else if (typeof setting !== 'string' || parseDuration(setting) === undefined) problems.push(`${at}: ${where} waits for setting '${name}', which is not a duration like 10m`);
    }
    if (timer.extendable && timer.after === undefined) problems.push(`${at}: ${where} is extendable but has no duration (after) to extend by`);
    // Handled here in the timer's state, or by another track (a payment deadline may cancel the order).
    const elsewhere = wf.tracks.some((t) => t.id !== track.id && (t.reactions ?? []).some((r) => r.on === timer.fire));
    if (!timer.removes && !handled.get(timer.fire)?.has(timer.state) && !elsewhere) problems.push(`${at}: ${where} fires '${timer.fire}' in '${timer.state}', but no reaction handles it there or on another track (a timer into nowhere)`);
  }

  // Every state must be reachable from the initial one.
  const reached = new Set<string>([track.initial]);
  const queue = [track.initial];
  while (queue.length > 0) {
    for (const next of edges.get(queue.pop()!) ?? []) {
      if (reached.has(next)) continue;
      reached.add(next);
      queue.push(next);
    }
  }
  for (const s of track.states) {
    if (ids.has(track.initial) && !reached.has(s.id)) problems.push(`${at}: state '${s.id}' is unreachable from '${track.initial}'`);
    const exits = edges.get(s.id)?.size ?? 0;
    if (s.kind === 'temporary' && exits === 0) problems.push(`${at}: temporary state '${s.id}' has no way out`);
    if (s.kind === 'terminal' && exits > 0) problems.push(`${at}: terminal state '${s.id}' has a way out (to ${[...edges.get(s.id)!].join(', ')})`);
  }
  return problems;
}
