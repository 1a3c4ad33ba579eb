/**
 * The workflow interpreter: pure functions from (workflow, order, request) to the status
 * changes that follow, or a typed rejection. State lives on the order; the machine is
 * rebuilt from the definition for every command.
 */
import type { Actor } from '../actor.js';
import type { StatusChanged } from '../events.js';
import type { Order } from '../order.js';
import { reject, accept, type Result } from '../result.js';
import type { StateDefinition, TrackDefinition, TransitionDefinition, WorkflowDefinition } from './definition.js';
import { failedGuard, type GuardFacts } from './guards.js';

/** Reactions may chain (entering one state triggers another); a longer chain is a loop. */
const MAX_REACTION_STEPS = 32;

export const trackOf = (wf: WorkflowDefinition, id: string): TrackDefinition | undefined =>
  wf.tracks.find((t) => t.id === id);

export const stateOf = (track: TrackDefinition, id: string): StateDefinition | undefined =>
  track.states.find((s) => s.id === id);

const leavesFrom = (from: readonly string[] | '*', state: string, to: string): boolean =>
  from === '*' ? state !== to : from.includes(state);

/** Why the guards of `t` fail (none: they hold). Checked for every transition a decision looks at, so kept lean. */
function guardsPass(wf: WorkflowDefinition, t: { guards?: TransitionDefinition['guards'] }, order: Order, facts: GuardFacts): string[] {
  if (!t.guards?.length) return [];
  // Written out rather than spread: V8 is slow to spread an object into a literal that adds a field.
  // Every field named (the type says so), so that a new fact cannot be left out here.
  const seen: { [K in keyof Required<GuardFacts>]: GuardFacts[K] } = { draft: facts.draft, paymentMethod: facts.paymentMethod, settings: wf.settings };
  return t.guards.map((g) => failedGuard(g, order, seen)).filter((x): x is string => x !== null);
}

/** Who may take a transition: the actors it names; an admin may also take any a customer may (acting for them). */
const mayTake = (t: TransitionDefinition, actor: Actor): boolean =>
  t.actors.includes(actor.kind) || (actor.kind === 'admin' && t.actors.includes('customer'));

/** The states each track may move to next, by this actor, with every guard holding. */
export function nextStatuses(wf: WorkflowDefinition, order: Order, actor: Actor): Record<string, string[]> {
  const next: Record<string, string[]> = {};
  for (const track of wf.tracks) {
    const here = order.status[track.id] ?? track.initial;
    const targets = new Set<string>();
    for (const t of track.transitions) {
      if (leavesFrom(t.from, here, t.to) && mayTake(t, actor) && guardsPass(wf, t, order, {}).length === 0) targets.add(t.to);
    }
    next[track.id] = [...targets];
  }
  return next;
}

export interface TransitionRequest {
  readonly track?: string;
  readonly to: string;
  readonly reason?: string;
}

/** Which track a request means: the named one, else the only track that has the target state. */
export function resolveTrack(wf: WorkflowDefinition, req: TransitionRequest): Result<TrackDefinition> {
  if (req.track !== undefined) {
    const track = trackOf(wf, req.track);
    if (!track) return reject('unknown_track', `workflow '${wf.name}' has no track '${req.track}'`, { tracks: wf.tracks.map((t) => t.id) });
    if (!stateOf(track, req.to)) return reject('unknown_status', `track '${track.id}' has no status '${req.to}'`, { track: track.id, statuses: track.states.map((s) => s.id) });
    return accept(track);
  }
  const candidates = wf.tracks.filter((t) => stateOf(t, req.to));
  if (candidates.length === 0) return reject('unknown_status', `workflow '${wf.name}' has no status '${req.to}'`);
  if (candidates.length > 1) return reject('track_required', `status '${req.to}' exists on several tracks; say which`, { tracks: candidates.map((t) => t.id) });
  return accept(candidates[0]!);
}

export interface Moved {
  readonly order: Order;
  readonly changes: readonly StatusChanged[];
}

/** A caller asks to move one track to a state: allowed, taken by a permitted actor, guards holding. */
export function takeTransition(wf: WorkflowDefinition, order: Order, req: TransitionRequest, actor: Actor, now: Date): Result<Moved> {
  const resolved = resolveTrack(wf, req);
  if (!resolved.ok) return resolved;
  const track = resolved.value;
  const from = order.status[track.id] ?? track.initial;
  // Only a refusal needs the list of what is allowed instead.
  const details = () => ({ track: track.id, from, to: req.to, allowed: nextStatuses(wf, order, actor)[track.id] ?? [] });
  const routes = track.transitions.filter((t) => t.to === req.to && leavesFrom(t.from, from, req.to));
  if (routes.length === 0) return reject('transition_not_allowed', `${track.label} cannot go from '${from}' to '${req.to}'`, details());
  const permitted = routes.filter((t) => mayTake(t, actor));
  if (permitted.length === 0) {
    return reject('transition_forbidden_for_actor', `a ${actor.kind} may not move ${track.label} from '${from}' to '${req.to}'`, { ...details(), actors: [...new Set(routes.flatMap((t) => t.actors))] });
  }
  const failures = permitted.map((t) => guardsPass(wf, t, order, {}));
  if (failures.every((f) => f.length > 0)) return reject('guard_failed', `${track.label} cannot go to '${req.to}': ${failures[0]!.join('; ')}`, { ...details(), failed: failures[0] });
  const step: StatusChanged = { type: 'order.status_changed', track: track.id, from, to: req.to, ...(req.reason ? { reason: req.reason } : {}) };
  // Out of a fraud review into a state that goes on: the reviewer accepted it, and its flag sends it back no more.
  const target = stateOf(track, req.to);
  const accepted = stateOf(track, from)?.reviews && order.screening && target?.kind !== 'terminal' && target?.stock !== 'release';
  const reviewed = accepted && order.screening ? { ...order, screening: { ...order.screening, accepted: true } } : order;
  return accept(settle(wf, enter(wf, reviewed, track, req.to, now), [step], {}, now));
}

/** Something happened (a payment settled, a timer fired, the order was created): run the reactions. */
export function react(wf: WorkflowDefinition, order: Order, event: string, facts: GuardFacts, now: Date): Moved {
  return settle(wf, order, [], facts, now, [event]);
}

function enter(wf: WorkflowDefinition, order: Order, track: TrackDefinition, to: string, now: Date): Order {
  const state = stateOf(track, to);
  const placed = order.placedAt === null && state?.placed === true;
  // A notice to send once; entering again after it went out (or after a repair) sends none twice.
  const notice = state?.announcesCancellation === true && order.cancellationNotice?.sent !== true;
  return {
    ...order,
    status: { ...order.status, [track.id]: to },
    ...(placed ? { placedAt: now } : {}),
    ...(notice ? { cancellationNotice: { due: true, sent: false, failures: order.cancellationNotice?.failures ?? 0 } } : {}),
  };
}

/** Runs reactions until none applies, each entered state being an event of its own. */
function settle(wf: WorkflowDefinition, order: Order, done: StatusChanged[], facts: GuardFacts, now: Date, pending: string[] = []): Moved {
  const queue = [...pending, ...done.map((c) => `entered:${c.track}.${c.to}`)];
  const changes = [...done];
  let current = order;
  for (let steps = 0; queue.length > 0; ) {
    const event = queue.shift()!;
    for (const track of wf.tracks) {
      const here = current.status[track.id] ?? track.initial;
      const reaction = (track.reactions ?? []).find(
        (r) => r.on === event && leavesFrom(r.from, here, r.to) && guardsPass(wf, r, current, facts).length === 0,
      );
      if (!reaction) continue;
      if (++steps > MAX_REACTION_STEPS) throw new Error(`workflow '${wf.name}': reactions loop on '${event}'`);
      current = enter(wf, current, track, reaction.to, now);
      changes.push({ type: 'order.status_changed', track: track.id, from: here, to: reaction.to, cause: event });
      queue.push(`entered:${track.id}.${reaction.to}`);
    }
  }
  return { order: current, changes };
}
