/** Inventory routes: a SKU's levels, an admin's count of the shelf, the movement ledger. */
import type { FastifyInstance } from 'fastify';
import type { Ordo } from '../../engine/ordo.js';
import { actorOf } from '../auth.js';
import { rejectionProblem } from '../problems.js';
import { InventoryView, MovementList, Problem, SetInventoryBody, Sku } from '../schemas.js';
import type { RequestTypeProvider } from '../type-provider.js';

export function inventoryRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  const tags = ['inventory'];

  r.get('/v1/inventory/:sku', {
    config: { access: 'authenticated' },
    schema: { tags, summary: "A SKU's stock: on hand, reserved, available", description: 'Only SKUs whose stock is tracked (set once with PUT); others are 404 sku_not_tracked.', params: Sku, response: { 200: InventoryView, 401: Problem, 404: Problem } },
  }, async (req, reply) => {
    const result = await ordo.stock.get(req.params.sku);
    return result.ok ? result.value : rejectionProblem(reply, result);
  });

  r.put('/v1/inventory/:sku', {
    config: { access: 'admin' },
    schema: {
      tags,
      summary: 'Set what is on hand (recorded as an adjustment), and whether the SKU allows backorders',
      description: 'Starts tracking the SKU if it was not. Never below what is reserved (409 stock_below_reserved).',
      params: Sku,
      body: SetInventoryBody,
      response: { 200: InventoryView, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
    },
  }, async (req, reply) => {
    const result = await ordo.stock.set(req.params.sku, req.body, actorOf(req.principal));
    return result.ok ? result.value : rejectionProblem(reply, result);
  });

  r.get('/v1/inventory/:sku/movements', {
    config: { access: 'admin' },
    schema: { tags, summary: "The SKU's stock ledger, newest first", description: 'Every movement (reserve, release, sale, restock, adjustment) with the order and line it belongs to; on hand and reserved are their sums.', params: Sku, response: { 200: MovementList, 401: Problem, 403: Problem } },
  }, async (req) => ({
    items: (await ordo.stock.movements(req.params.sku)).map((m) => ({
      id: m.id, kind: m.kind, quantity: m.quantity, onHandDelta: m.on_hand_delta, reservedDelta: m.reserved_delta,
      orderId: m.order_id, lineId: m.line_id, reason: m.reason, actor: { kind: m.actor_kind, id: m.actor_id }, at: m.at.toISOString(),
    })),
  }));
}
