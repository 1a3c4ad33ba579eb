/**
 * Status changes asked for by hand, and what the caller may ask for next.
 *
 * A goods status set by hand must be true of the parcels. A status that a fulfillment fact
 * leads to (the track's reaction on `fulfillment.shipped` says which status means "shipped")
 * claims that much of the goods. Shipped and delivered are made true in the same decision:
 * what is still pending moves on, and what is left goes out in one parcel, its stock
 * committed as for any parcel (X-Cart's admin sets these statuses by hand as the normal way
 * of working). A partial claim cannot say which units, so it must already be true; goods
 * that may not ship (the order ended, or held for a review) refuse every claim.
 */
import type { Actor } from '../actor.js';
import type { IdSource } from '../ids.js';
import { orderEnded, orderHeld } from '../ended.js';
import type { FulfillmentEvent, StatusChanged } from '../events.js';
import type { Order } from '../order.js';
import { accept, reject, type Result } from '../result.js';
import type { StockMovement } from '../stock.js';
import type { TrackDefinition, WorkflowDefinition } from '../workflow/definition.js';
import { nextStatuses, takeTransition, trackOf, type TransitionRequest } from '../workflow/interpret.js';
import { decideFulfillment, type FulfillmentCommand, type GoodsDecision } from './decide-fulfillment.js';
import { FULFILLMENT_FACTS, fulfilledOf, fulfillmentFact, type FulfillmentFact } from './fulfillment.js';

export interface HandTransition {
  readonly order: Order;
  readonly changes: readonly StatusChanged[];
  /** The parcels' events and stock, before the status change they make true. */
  readonly events: readonly FulfillmentEvent[];
  readonly movements: readonly StockMovement[];
}

/** A caller moves a track: the workflow must allow it, and the goods must bear out what the new status says. */
export function transitionByHand(wf: WorkflowDefinition, order: Order, req: TransitionRequest, actor: Actor, now: Date, ids: IdSource): Result<HandTransition> {
  const taken = tryTransition(wf, order, req, actor, now, ids);
  if (taken.ok || !taken.details || !('allowed' in taken.details || taken.code === 'fulfillment_required')) return taken;
  // The refusal lists what would be accepted instead, as the order's `next` does.
  const track = String(taken.details.track);
  return { ...taken, details: { ...taken.details, allowed: acceptedNext(wf, order, actor)[track] ?? [] } };
}

/**
 * The statuses each track may move to now, by this actor: the workflow's candidates that the
 * same decision accepts. A candidate has passed what `takeTransition` asks (a route from here,
 * the actor, its guards), and the rest of that decision refuses nothing; so what is left to ask
 * is the goods' claim, without building parcels. Cheap enough for every order of a list and
 * every answer (no reactions run, no order is built).
 */
export function acceptedNext(wf: WorkflowDefinition, order: Order, actor: Actor): Record<string, string[]> {
  const next = nextStatuses(wf, order, actor);
  for (const track of wf.tracks) next[track.id] = next[track.id]!.filter((to) => claimToMake(wf, order, track, to).ok);
  return next;
}

/** The decision: the workflow's, then the parcels that make a claimed goods status true. */
function tryTransition(wf: WorkflowDefinition, order: Order, req: TransitionRequest, actor: Actor, now: Date, ids: IdSource): Result<HandTransition> {
  const asked = takeTransition(wf, order, req, actor, now);
  if (!asked.ok) return asked;
  const track = trackOf(wf, asked.value.changes[0]!.track)!;
  const claim = claimToMake(wf, order, track, req.to);
  if (!claim.ok) return claim;
  if (!claim.value) return accept({ ...asked.value, events: [], movements: [] });
  const goods = sendRest(order, claim.value, now, ids);
  if (!goods.ok) return goods;
  // Decided again on the order with its parcels, so the reactions see the goods as they now are.
  const moved = takeTransition(wf, goods.value.order, req, actor, now);
  return moved.ok ? accept({ ...moved.value, events: goods.value.events, movements: goods.value.movements }) : moved;
}

/** The goods' progress a status stands for on this track, if a fulfillment fact leads to it. */
export function claimedProgress(track: TrackDefinition, state: string): FulfillmentFact | undefined {
  for (const r of track.reactions ?? []) {
    const fact = r.to === state && r.on.startsWith('fulfillment.') ? r.on.slice('fulfillment.'.length) : undefined;
    if (fact && (FULFILLMENT_FACTS as readonly string[]).includes(fact)) return fact as FulfillmentFact;
  }
  return undefined;
}

/**
 * Whether `to` can be made true of the goods: undefined when there is nothing to make, else
 * the progress to bring them to. Cheap, so that `next` can ask it of every candidate.
 */
function claimToMake(wf: WorkflowDefinition, order: Order, track: TrackDefinition, to: string): Result<'shipped' | 'delivered' | undefined> {
  const claim = claimedProgress(track, to);
  const goods = fulfillmentFact(order);
  if (!claim || claim === goods) return accept(undefined);
  const refuse = (why: string) =>
    reject('fulfillment_required', `${track.label} cannot be set to '${to}' by hand: ${why}`, { track: track.id, to, claims: claim, goods });
  if (claim !== 'shipped' && claim !== 'delivered') return refuse(`the goods are ${words(goods)}; record the parcels instead and the status follows`);
  // Parcels only go forward: goods delivered in part cannot be made merely shipped.
  if (claim === 'shipped' && goods !== 'unfulfilled' && goods !== 'partially_shipped') return refuse(`the goods are ${words(goods)} already`);
  const ended = orderEnded(wf, order);
  if (ended) return refuse(`the order is ${ended}: nothing more ships`);
  const held = orderHeld(wf, order);
  if (held) return refuse(`the order is ${held}: nothing ships until that is settled`);
  if (order.lines.every((l) => l.quantity === 0)) return refuse('nothing is left to ship');
  return accept(claim);
}

/** Moves pending (and, for delivered, shipped) parcels on, then sends what is left in a new parcel. */
function sendRest(order: Order, claim: 'shipped' | 'delivered', now: Date, ids: IdSource): Result<GoodsDecision> {
  const steps: FulfillmentCommand[] = order.fulfillments
    .filter((f) => f.state === 'pending' || (claim === 'delivered' && f.state === 'shipped'))
    .map((f) => ({ type: 'fulfillment_transition', fulfillmentId: f.id, to: claim }));
  const left = order.lines.map((l) => ({ lineId: l.id, quantity: l.quantity - fulfilledOf(order, l.id) })).filter((l) => l.quantity > 0);
  if (left.length > 0) {
    const id = ids();
    steps.push({ type: 'create_fulfillment', fulfillmentId: id, lines: left }, { type: 'fulfillment_transition', fulfillmentId: id, to: claim });
  }
  let current = order;
  const events: FulfillmentEvent[] = [];
  const movements: StockMovement[] = [];
  for (const command of steps) {
    const step = decideFulfillment(current, command, now);
    if (!step.ok) return step;
    current = step.value.order;
    events.push(...step.value.events);
    movements.push(...step.value.movements);
  }
  return accept({ order: current, events, movements });
}

const words = (fact: FulfillmentFact) => fact.replace('_', ' ');
