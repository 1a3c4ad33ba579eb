/** Prices on file: the price a line takes when its caller may not, or did not, set one. */
import type { FastifyInstance } from 'fastify';
import type { RequestTypeProvider } from '../type-provider.js';
import type { Ordo } from '../../engine/ordo.js';
import type { PriceRecord } from '../../store/prices.js';
import { actorOf } from '../auth.js';
import { rejectionProblem } from '../problems.js';
import { PriceView, Problem, SetPriceBody, Sku, SkuPrices } from '../schemas.js';

const view = (p: PriceRecord) => ({ sku: p.sku, currency: p.currency, unitPrice: p.unitPrice, updatedAt: p.updatedAt.toISOString() });

export function priceRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  const tags = ['prices'];

  r.put('/v1/prices/:sku', {
    config: { access: 'storefront' },
    schema: { tags, summary: "Set a SKU's price in one currency", description: 'Admin keys; storefront keys too unless the deployment enforces prices (ORDO_ENFORCE_PRICES=1).', params: Sku, body: SetPriceBody, response: { 200: PriceView, 400: Problem, 401: Problem, 403: Problem, 422: Problem } },
  }, async (req, reply) => {
    const set = await ordo.prices.set(req.params.sku, req.body.currency, req.body.unitPrice, actorOf(req.principal));
    return set.ok ? view(set.value) : rejectionProblem(reply, set);
  });

  r.get('/v1/prices/:sku', {
    config: { access: 'authenticated' },
    schema: { tags, summary: "A SKU's prices on file, one per currency", description: 'The prices a line without unitPrice takes; 404 when the SKU has none.', params: Sku, response: { 200: SkuPrices, 401: Problem, 404: Problem } },
  }, async (req, reply) => {
    const found = await ordo.prices.get(req.params.sku);
    return found.ok ? { sku: found.value.sku, prices: found.value.prices.map(view) } : rejectionProblem(reply, found);
  });
}
