/** What the notification rules read of an event: the envelope's part that is not transport. */
export interface EventFacts {
  readonly id: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The order as the event left it (every order event carries it). */
export interface EventOrderSummary {
  readonly status?: Readonly<Record<string, string>>;
  readonly totals?: Readonly<Record<string, number>>;
}

export const summaryOf = (event: EventFacts): EventOrderSummary => (event.data.order ?? {}) as EventOrderSummary;
