/** The NOTIFY that wakes relays in other processes: at most one per gap, and none lost. */
import type pg from 'pg';
import { expect, it } from 'vitest';
import { Announcer } from '../../src/engine/events/wake.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('calls within the gap after a NOTIFY become one more NOTIFY once the gap is over', async () => {
  let sent = 0;
  const pool = { query: async () => void sent++ } as unknown as pg.Pool;
  const announcer = new Announcer(pool, 50);
  for (let i = 0; i < 5; i++) announcer.announce();
  await pause(10);
  expect(sent).toBe(1);
  for (let i = 0; i < 5; i++) announcer.announce();
  await pause(100);
  expect(sent).toBe(2);
  await pause(100);
  expect(sent).toBe(2);
  // After a quiet spell, the next one goes out at once.
  announcer.announce();
  await pause(5);
  expect(sent).toBe(3);
});
