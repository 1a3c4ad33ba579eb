/**
 * Issue 12: a relay process SIGKILLed in the middle of a delivery loses nothing. The receiver
 * holds one delivery unanswered and the relay is killed while it waits; after a restart, every
 * event reaches the receiver at least once (the held one again, once its lease lapsed), each
 * order's events in order, every delivery verified with `standardwebhooks`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { startReceiver, type Receiver } from '../webhooks/support/receiver.js';
import { orderWithEvents } from '../webhooks/support/ordo.js';
import { freshDatabase } from './support/server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCRIPT = path.join(import.meta.dirname, 'support', 'webhook-relay.ts');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let databaseUrl: string;
let ordo: Ordo;
let receiver: Receiver;
let relay: ChildProcess | undefined;
let stderr = '';

async function startRelay(): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
  relay = child;
  stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-8000)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`the relay exited while starting (${code}):\n${stderr}`)));
  });
}

async function killRelay(): Promise<void> {
  const child = relay;
  relay = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

beforeAll(async () => {
  databaseUrl = await freshDatabase();
  // This process writes the orders and manages the subscription; it runs no relay.
  ordo = await createOrdo({ databaseUrl, webhooks: { allowPrivateTargets: true } });
  receiver = await startReceiver();
});
afterAll(async () => {
  await killRelay();
  await receiver?.close();
  await ordo?.close();
});

it('a relay killed mid-delivery loses nothing: after a restart every event is delivered, in order per order', async () => {
  const made = await ordo.webhooks.create({ url: receiver.url, events: ['*'] });
  if (!made.ok) throw new Error(made.message);
  receiver.secrets = [made.value.secret];
  const orders: string[] = [];
  for (let i = 0; i < 30; i++) orders.push(await orderWithEvents(ordo, 1 + (i % 3)));
  const events = (await ordo.pool.query<{ id: string; order_id: string; sequence: number }>('SELECT id, order_id, sequence FROM outbox WHERE order_id = ANY($1)', [orders])).rows;

  // The 25th request is held unanswered: the kill lands while the relay waits on it.
  let held: string | undefined;
  let onHeld: () => void = () => {};
  const heldNow = new Promise<void>((resolve) => (onHeld = resolve));
  receiver.answer = (r) => {
    if (held === undefined && receiver.received.length === 25) {
      held = r.id;
      onHeld();
      return 'hang';
    }
    return { status: 200, delayMs: 2 };
  };
  await startRelay();
  await Promise.race([heldNow, sleep(60_000).then(() => { throw new Error(`no delivery reached the receiver:\n${stderr}`); })]);
  await killRelay();

  const sending = (await ordo.pool.query("SELECT event_id FROM webhook_deliveries WHERE status = 'sending'")).rows.map((r) => r.event_id);
  expect(sending, 'the held delivery was being sent when the relay died').toContain(held);

  await startRelay();
  const deadline = Date.now() + 120_000;
  for (;;) {
    const open = (await ordo.pool.query("SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'delivered'")).rows[0].n;
    if (open === 0) break;
    if (Date.now() > deadline) throw new Error(`${open} deliveries were still open after the restart:\n${stderr}`);
    await sleep(100);
  }
  await killRelay();

  const received = new Set(receiver.received.map((r) => r.id));
  expect(events.filter((e) => !received.has(e.id)), 'every event reached the receiver').toEqual([]);
  expect(receiver.received.filter((r) => r.id === held).length, 'the held delivery was sent again').toBeGreaterThanOrEqual(2);
  for (const orderId of orders) {
    const sequences = receiver.received.filter((r) => r.event?.orderId === orderId).map((r) => r.event.sequence as number);
    expect(sequences, `order ${orderId}: in order`).toEqual([...sequences].sort((a, b) => a - b));
  }
  expect(receiver.received.filter((r) => r.verifiedBy.length !== 1), 'every delivery verified').toEqual([]);
  expect(receiver.overlaps, 'never two attempts of one delivery at once').toEqual([]);
});
