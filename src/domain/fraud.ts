/**
 * Fraud screening's built-in rules, which the merchant sets: an order above an amount, or a
 * customer e-mail from a listed domain, is flagged for review. Pure; other screeners plug in
 * at the engine (an external service) and hand their verdict to order creation the same way.
 */
import type { Order } from './order.js';
import { totalsOf } from './totals.js';
import type { Screening } from './screening.js';

export type { Screening } from './screening.js';

export interface FraudRules {
  /** Flag orders whose total is above this many minor units. */
  readonly amountAbove?: number;
  /** Flag customers whose e-mail is at one of these domains (lower case, no @). */
  readonly emailDomains?: readonly string[];
}


export function screenByRules(order: Order, rules: FraudRules): Screening {
  const reasons: string[] = [];
  const { total } = totalsOf(order);
  if (rules.amountAbove !== undefined && total > rules.amountAbove) reasons.push(`total ${total} is above ${rules.amountAbove}`);
  const domain = order.customer.email?.split('@')[1]?.toLowerCase();
  if (domain && rules.emailDomains?.includes(domain)) reasons.push(`e-mail domain ${domain} is on the review list`);
  return { flagged: reasons.length > 0, reasons };
}
