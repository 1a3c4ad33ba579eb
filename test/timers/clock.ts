/**
 * One app per timer suite on the test clock. Before each test the clock jumps far ahead and
 * whatever an earlier test left waiting fires, so each test counts only its own timers; after
 * each, the timers index must match the orders' own lists.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectTimersIndexed } from '../stock/helpers.js';

export interface TimerSuite {
  readonly t: () => TestApp;
  /** An ISO time this many seconds from the test clock's now. */
  at(secondsFromNow: number): string;
  /** Moves the test clock and fires what became due. */
  advance(seconds: number): ReturnType<TestApp['ordo']['sweeper']['sweep']>;
}

export function timerSuite(options?: Parameters<typeof startTestApp>[0]): TimerSuite {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(options);
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    app.clock.advance(400 * 86_400);
    await app.ordo.sweeper.sweep();
  });
  afterEach(() => expectTimersIndexed(app.ordo.pool));
  return {
    t: () => app,
    at: (seconds) => new Date(app.clock.now().getTime() + seconds * 1000).toISOString(),
    advance: async (seconds) => {
      app.clock.advance(seconds);
      return app.ordo.sweeper.sweep();
    },
  };
}
