/** A line as a caller asks for it, before it is part of an order (at creation, or added to a basket). */

/** The most units one line may ask for: beyond it, a quantity is a typo or an attack, never an order. */
export const MAX_QUANTITY = 1_000_000;

export interface NewOrderLine {
  readonly sku: string;
  readonly name?: string;
  readonly quantity: number;
  readonly unitPrice: number;
  /** The item needs an admin's approval before it can be paid for (nuTickets). */
  readonly requiresApproval?: boolean;
}
