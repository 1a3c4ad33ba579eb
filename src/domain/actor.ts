/** Who takes an action. Workflows name the kinds that may take each transition. */
export const ACTOR_KINDS = ['customer', 'admin', 'gateway', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export interface Actor {
  readonly kind: ActorKind;
  /** The API key, gateway or process acting; absent for anonymous system work. */
  readonly id?: string;
  /** For a customer: whose orders it may see and act on. */
  readonly customerId?: string;
}

export const systemActor: Actor = { kind: 'system', id: 'ordo' };
