/** Prices on file: one unit price per SKU and currency, for lines whose caller may not set one. */
import type { Db } from './database.js';

export interface PriceRecord {
  readonly sku: string;
  readonly currency: string;
  readonly unitPrice: number;
  readonly updatedAt: Date;
}

interface Row { sku: string; currency: string; unit_price: string; updated_at: Date }

const toRecord = (r: Row): PriceRecord => ({ sku: r.sku, currency: r.currency, unitPrice: Number(r.unit_price), updatedAt: r.updated_at });

export async function upsertPrice(db: Db, price: PriceRecord): Promise<void> {
  await db.query(
    `INSERT INTO prices (sku, currency, unit_price, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (sku, currency) DO UPDATE SET unit_price = EXCLUDED.unit_price, updated_at = EXCLUDED.updated_at`,
    [price.sku, price.currency, price.unitPrice, price.updatedAt],
  );
}

/** A SKU's prices, one per currency. */
export async function pricesOf(db: Db, sku: string): Promise<PriceRecord[]> {
  const res = await db.query<Row>('SELECT sku, currency, unit_price, updated_at FROM prices WHERE sku = $1 ORDER BY currency', [sku]);
  return res.rows.map(toRecord);
}

/** The unit prices of these SKUs in one currency; a SKU without one is absent. */
export async function unitPrices(db: Db, skus: readonly string[], currency: string): Promise<Map<string, number>> {
  const res = await db.query<Row>('SELECT sku, currency, unit_price, updated_at FROM prices WHERE sku = ANY($1::text[]) AND currency = $2', [[...new Set(skus)], currency]);
  return new Map(res.rows.map((r) => [r.sku, Number(r.unit_price)]));
}
