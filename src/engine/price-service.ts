/**
 * Prices on file, and the one rule for who sets a line's price: staff and storefront keys may
 * (unless the deployment enforces prices), customer tokens never do. Lines without a price of
 * their own take the SKU's price on file in the order's currency.
 */
import type pg from 'pg';
import type { Actor } from '../domain/actor.js';
import { isCurrency } from '../domain/currency.js';
import type { NewOrderLine } from '../domain/new-line.js';
import { accept, reject, type Result } from '../domain/result.js';
import { pricesOf, unitPrices, upsertPrice, type PriceRecord } from '../store/prices.js';
import { viaOf } from './api-key-service.js';
import type { Clock } from './clock.js';

/** A line as a caller sends it: the price may be left to the one on file. */
export type AskedLine = Omit<NewOrderLine, 'unitPrice'> & { readonly unitPrice?: number };

export class PriceService {
  constructor(private readonly deps: { pool: pg.Pool; clock: Clock; enforcePrices: boolean }) {}

  /** Whether a line's own price counts: never a token's; a customer's (a storefront's) unless prices are enforced. */
  private pricesLines(actor: Actor): boolean {
    return viaOf(actor) !== 'token' && !(actor.kind === 'customer' && this.deps.enforcePrices);
  }

  /** Who keeps the prices on file: staff, and storefront keys unless prices are enforced. */
  private setsPrices(actor: Actor): boolean {
    return actor.kind !== 'customer' || (viaOf(actor) === 'storefront' && !this.deps.enforcePrices);
  }

  async set(sku: string, currency: string, unitPrice: number, actor: Actor): Promise<Result<PriceRecord>> {
    if (!this.setsPrices(actor)) return reject('forbidden_for_caller', this.deps.enforcePrices && viaOf(actor) === 'storefront' ? 'prices are enforced on this deployment: only admin keys set them' : 'only admin and storefront keys set prices');
    if (!isCurrency(currency)) return reject('unknown_currency', `'${currency}' is not an ISO 4217 currency code`, { currency });
    const price: PriceRecord = { sku, currency, unitPrice, updatedAt: this.deps.clock.now() };
    await upsertPrice(this.deps.pool, price);
    return accept(price);
  }

  async get(sku: string): Promise<Result<{ sku: string; prices: PriceRecord[] }>> {
    const prices = await pricesOf(this.deps.pool, sku);
    return prices.length ? accept({ sku, prices }) : reject('price_not_found', `there is no price on file for '${sku}'`, { sku });
  }

  /** The lines with their prices, as this caller may have them; the database is read only for lines that need it. */
  async price(lines: readonly AskedLine[], currency: string, actor: Actor): Promise<Result<NewOrderLine[]>> {
    const own = this.pricesLines(actor);
    const sent = lines.findIndex((l) => l.unitPrice !== undefined);
    // A token's price is refused, not silently replaced: the shop learns its page shows a price Ordo will not charge.
    if (viaOf(actor) === 'token' && sent >= 0) return reject('price_not_allowed', `line ${sent + 1}: a customer token does not set prices; leave unitPrice out and the price on file applies`, { line: sent });
    const needed = lines.filter((l) => !own || l.unitPrice === undefined).map((l) => l.sku);
    const onFile = needed.length ? await unitPrices(this.deps.pool, needed, currency) : new Map<string, number>();
    const priced: NewOrderLine[] = [];
    for (const [i, l] of lines.entries()) {
      const unitPrice = own && l.unitPrice !== undefined ? l.unitPrice : onFile.get(l.sku);
      if (unitPrice === undefined) return reject('price_required', `line ${i + 1}: there is no price on file for '${l.sku}' in ${currency}`, { line: i, sku: l.sku, currency });
      priced.push({ ...l, unitPrice });
    }
    return accept(priced);
  }
}
