/** A return as the order keeps it (an RMA): lines sent back and where it stands. It names no order, so the order may name it. */
export const RETURN_STATES = ['requested', 'received', 'refunded', 'rejected'] as const;
export type ReturnState = (typeof RETURN_STATES)[number];

export interface ReturnLine {
  readonly lineId: string;
  readonly quantity: number;
}

export interface OrderReturn {
  readonly id: string;
  readonly lines: readonly ReturnLine[];
  readonly reason: string;
  readonly state: ReturnState;
  /** Units put back in stock when the return was received. */
  readonly restocked: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}
