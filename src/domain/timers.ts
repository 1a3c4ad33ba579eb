/**
 * Which timers an order waits on. A track that changed state drops its old timers and
 * starts those of its new state; the other tracks' timers run on untouched.
 */
import { parseDuration } from './duration.js';
import type { Order, ScheduledTimer } from './order.js';
import type { TimerDefinition, WorkflowDefinition } from './workflow/definition.js';

export function settingSeconds(wf: WorkflowDefinition, name: string): number | undefined {
  const value = wf.settings[name];
  return typeof value === 'string' ? parseDuration(value) : undefined;
}

const plus = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000).toISOString();

/** A deadline that says "this never expires": the timer waiting on it is not set. */
export const NEVER = 'never';

/** When a timer entered now is due, or undefined when it is not to be set at all. */
export function dueAt(wf: WorkflowDefinition, def: TimerDefinition, order: Order, now: Date): string | undefined {
  const own = def.at !== undefined ? order.deadlines[def.at] : undefined;
  if (own === NEVER) return undefined;
  if (own !== undefined) return own;
  const seconds = def.after !== undefined ? settingSeconds(wf, def.after) : undefined;
  if (seconds === undefined) return undefined;
  if (!def.backoff) return plus(now, seconds);
  const fired = order.timerFirings?.[def.name] ?? 0;
  const cap = settingSeconds(wf, def.backoff.max) ?? Number.POSITIVE_INFINITY;
  return plus(now, Math.min(seconds * def.backoff.factor ** fired, cap));
}

/** Counts a firing, for timers that back off. */
export function countFiring(wf: WorkflowDefinition, order: Order, timer: ScheduledTimer): Order {
  if (!timerDefinition(wf, timer.track, timer.name)?.backoff) return order;
  return { ...order, timerFirings: { ...order.timerFirings, [timer.name]: (order.timerFirings?.[timer.name] ?? 0) + 1 } };
}

/** A track that comes to rest (a permanent or terminal state) starts its backoffs afresh. */
export function forgetFirings(wf: WorkflowDefinition, order: Order, track: string, state: string): Order {
  const def = wf.tracks.find((t) => t.id === track);
  const kind = def?.states.find((s) => s.id === state)?.kind;
  if (!order.timerFirings || kind === 'temporary' || !def) return order;
  const names = new Set((def.timers ?? []).map((t) => t.name));
  const kept = Object.fromEntries(Object.entries(order.timerFirings).filter(([name]) => !names.has(name)));
  return { ...order, timerFirings: kept };
}

export function timerDefinition(wf: WorkflowDefinition, track: string, name: string): TimerDefinition | undefined {
  return wf.tracks.find((t) => t.id === track)?.timers?.find((d) => d.name === name);
}

export function scheduleTimers(wf: WorkflowDefinition, order: Order, touched: ReadonlySet<string>, now: Date): ScheduledTimer[] {
  const kept = order.timers.filter((t) => !touched.has(t.track));
  const started = wf.tracks
    .filter((track) => touched.has(track.id))
    .flatMap((track) =>
      (track.timers ?? [])
        .filter((def) => def.state === order.status[track.id])
        .flatMap((def): ScheduledTimer[] => {
          const due = dueAt(wf, def, order, now);
          return due === undefined ? [] : [{ name: def.name, track: track.id, state: def.state, event: def.fire, dueAt: due }];
        }),
    );
  return [...kept, ...started];
}

/**
 * The order's own deadlines changed (a payment link with its own expiry was added): timers
 * waiting on those deadlines in the current states move to them, or go if they now never expire.
 */
export function followDeadlines(wf: WorkflowDefinition, before: Order, after: Order, now: Date): Order {
  const changed = new Set(Object.keys({ ...before.deadlines, ...after.deadlines }).filter((k) => before.deadlines[k] !== after.deadlines[k]));
  if (changed.size === 0) return after;
  const touched = new Set(wf.tracks.filter((t) => (t.timers ?? []).some((d) => d.at !== undefined && changed.has(d.at) && d.state === after.status[t.id])).map((t) => t.id));
  return touched.size === 0 ? after : { ...after, timers: scheduleTimers(wf, after, touched, now) };
}

/** Pushes a timer back by its own duration, once. */
export function extendTimer(wf: WorkflowDefinition, timer: ScheduledTimer): ScheduledTimer | undefined {
  const def = timerDefinition(wf, timer.track, timer.name);
  const seconds = def?.extendable && def.after !== undefined ? settingSeconds(wf, def.after) : undefined;
  if (seconds === undefined) return undefined;
  return { ...timer, dueAt: plus(new Date(timer.dueAt), seconds), extended: true };
}

/** After a basket change, timers that say so start again with their restart duration. */
export function restartOnBasketChange(wf: WorkflowDefinition, timers: readonly ScheduledTimer[], now: Date): ScheduledTimer[] {
  return timers.map((t) => {
    const setting = timerDefinition(wf, t.track, t.name)?.restartOnBasketChange;
    const seconds = setting !== undefined ? settingSeconds(wf, setting) : undefined;
    return seconds === undefined ? t : { ...t, dueAt: plus(now, seconds) };
  });
}
