/**
 * The workflow language. A workflow is plain data: one or more tracks, each a state
 * machine over the order. It is validated once when loaded (validate.ts) and then
 * interpreted per command (interpret.ts); nothing here runs anything.
 */
import type { ActorKind } from '../actor.js';
import type { Duration } from '../duration.js';

export const STATE_KINDS = ['temporary', 'permanent', 'terminal'] as const;
/** temporary: the order is expected to move on; permanent: it may rest here; terminal: it never leaves. */
export type StateKind = (typeof STATE_KINDS)[number];

export const STOCK_EFFECTS = ['reserve', 'commit', 'release', 'none'] as const;
/** What entering the state does to the stock the order's lines hold. */
export type StockEffect = (typeof STOCK_EFFECTS)[number];

export interface StateDefinition {
  readonly id: string;
  readonly label: string;
  /** The platform's own short code (X-Cart letters), when it differs from the id. */
  readonly code?: string;
  readonly kind: StateKind;
  readonly stock?: StockEffect;
  /** The state id shown to the customer instead of this one (X-Cart shows NB as N). */
  readonly customerAlias?: string;
  readonly description?: string;
  /** Entering it means the customer has checked out: the order's `placedAt` is set once. */
  readonly placed?: boolean;
  /** Entering it runs the completion steps (deliver, invoice, confirm) outside any transaction. */
  readonly completes?: boolean;
  /** Entering it by hand (a withdrawal) cancels everything that is left, refunding as the workflow says. */
  readonly cancels?: boolean;
  /** Entering it sends the customer the cancellation notice, outside any transaction; its failure is the event `cancellation.failed`. */
  readonly announcesCancellation?: boolean;
  /** An order here is over for good though the state is not terminal (Nexway's CANCELED): card holds still open are let go. */
  readonly releasesHolds?: boolean;
  /** A fraud review: leaving it by hand for a state that goes on (not an end) accepts the order for good. */
  readonly reviews?: boolean;
  /** Nothing ships while the main track is here (a review or an approval is pending). */
  readonly holdsGoods?: boolean;
  /** An order not numbered yet gets no number while here (X-Cart's Not finished). */
  readonly unnumbered?: boolean;
  /** Whether the basket may be changed here: always, or only if the order allows it (an editable payment link). */
  readonly basket?: 'editable' | 'editableIfAllowed';
  /** Added by the merchant (X-Cart's custom statuses), not shipped with the workflow. */
  readonly custom?: boolean;
}

/** A pure condition on the order, written as data so that docs and diagrams can show it. */
export type Guard =
  | { readonly kind: 'hasLines' }
  | { readonly kind: 'hasCustomer' }
  | { readonly kind: 'hasShippingAddress' }
  | { readonly kind: 'balanceCovered' }
  /** Settled and authorized-not-captured money together cover the total (Vendure's PaymentAuthorized). */
  | { readonly kind: 'heldCovers' }
  /** A shipping method (or a shipping line) is set. */
  | { readonly kind: 'hasShipping' }
  | { readonly kind: 'nothingPaid' }
  | { readonly kind: 'isDraft' }
  | { readonly kind: 'nothingLeft' }
  /** Some item waits for an admin's approval. */
  | { readonly kind: 'needsApproval' }
  /** Fraud screening flagged the order for review. */
  | { readonly kind: 'flaggedForReview' }
  /** How far the goods have gone, counted from the fulfillments (Vendure's "back to where it was"). */
  | { readonly kind: 'goodsAre'; readonly progress: readonly ('unfulfilled' | 'partially_shipped' | 'shipped' | 'partially_delivered' | 'delivered')[] }
  | { readonly kind: 'not'; readonly guard: Guard }
  /** The merchant turned this yes/no setting on (nuTickets lets each company allow customer cancellations). */
  | { readonly kind: 'settingOn'; readonly setting: string }
  | { readonly kind: 'paymentMethodIn'; readonly methods: readonly string[] }
  | { readonly kind: 'statusIn'; readonly track: string; readonly states: readonly string[] }
  | { readonly kind: 'statusNotIn'; readonly track: string; readonly states: readonly string[] };

export type GuardKind = Guard['kind'];

export interface TransitionDefinition {
  /** The states it leaves from; `'*'` is every state of the track except `to`. */
  readonly from: readonly string[] | '*';
  readonly to: string;
  readonly actors: readonly ActorKind[];
  readonly guards?: readonly Guard[];
  readonly description?: string;
}

/**
 * Event names that reactions listen to. `order.created` fires once at creation;
 * `entered:<track>.<state>` fires whenever a track enters a state; the rest are facts
 * that payments, fulfillments and timers report.
 */
export type ReactionEvent = string;

/** When `on` happens while the track is in one of `from`, the system moves it to `to`. */
export interface ReactionDefinition {
  readonly on: ReactionEvent;
  readonly from: readonly string[] | '*';
  readonly to: string;
  readonly guards?: readonly Guard[];
  readonly description?: string;
}

/**
 * In `state`, at a due time, the event `fire` happens. The due time is the order's own
 * deadline named `at` when it has one, else entering the state plus the duration held in
 * setting `after`; with neither, the timer is not set (nuTickets' on-site expiry "only when set").
 */
export interface TimerDefinition {
  readonly name: string;
  readonly state: string;
  readonly after?: string;
  readonly at?: string;
  readonly fire: ReactionEvent;
  /** The customer may push it back once by its own duration (nuTickets' "I need more time"). */
  readonly extendable?: boolean;
  /**
   * Each time it fires again before the track rests (in a permanent or terminal state), it
   * waits `factor` times longer, up to the duration in setting `max` (Nexway's repair retries).
   */
  readonly backoff?: { readonly factor: number; readonly max: string };
  /** When the basket changes, it restarts with the duration in this setting. */
  readonly restartOnBasketChange?: string;
  /**
   * Firing removes an order that never got a number (X-Cart deletes Not finished orders after
   * their lifetime): hidden from every caller, its personal data erased, its ledger kept.
   */
  readonly removes?: boolean;
  readonly description?: string;
}

export interface TrackDefinition {
  readonly id: string;
  readonly label: string;
  readonly initial: string;
  readonly states: readonly StateDefinition[];
  readonly transitions: readonly TransitionDefinition[];
  readonly reactions?: readonly ReactionDefinition[];
  readonly timers?: readonly TimerDefinition[];
}

export type SettingValue = Duration | number | boolean | string;

export interface WorkflowDefinition {
  readonly name: string;
  readonly version: number;
  readonly label: string;
  readonly description: string;
  /** The first track is the order's main status. */
  readonly tracks: readonly TrackDefinition[];
  readonly settings: Readonly<Record<string, SettingValue>>;
  /** What each setting is for, and where its default comes from ("inferred:" when the platform publishes none). */
  readonly settingNotes?: Readonly<Record<string, string>>;
  /** The merchant may add statuses of its own to any track (X-Cart): no stock effect, set by an admin from any status. */
  readonly customStatuses?: boolean;
  /** 'created' (the default): every order is numbered when created. 'finished': see numbering.ts. */
  readonly numbering?: 'created' | 'finished';
  /** The revision of the merchant's changes applied to the shipped workflow; absent as shipped. */
  readonly revision?: number;
}
