/**
 * The test clock, as payment providers offer it: when Ordo runs with ORDO_CLOCK=test, time
 * moves only when an admin says so, and whatever became due fires at once.
 */
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../engine/clock.js';
import type { Ordo } from '../../engine/ordo.js';
import { AdvanceClockBody, ClockView, Problem } from '../schemas.js';
import type { RequestTypeProvider } from '../type-provider.js';

export function clockRoutes(app: FastifyInstance, ordo: Ordo): void {
  const clock = ordo.clock;
  if (!(clock instanceof ManualClock)) return;
  app.withTypeProvider<RequestTypeProvider>().post('/v1/clock/advance', {
    config: { access: 'admin' },
    schema: { tags: ['test clock'], summary: 'Move the test clock forward and fire what became due', description: 'Exists only when Ordo runs with ORDO_CLOCK=test. Timers that came due fire now; the answer counts them.', body: AdvanceClockBody, response: { 200: ClockView, 400: Problem, 401: Problem, 403: Problem } },
  }, async (req) => {
    const now = clock.advance(req.body.seconds);
    const swept = await ordo.sweeper.sweep();
    return { now: now.toISOString(), ...swept };
  });
}
