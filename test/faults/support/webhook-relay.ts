/**
 * A relay process for the webhook fault suite: an Ordo on DATABASE_URL whose relay runs until the
 * process is killed. Short attempts and leases, so that a killed send is retried within seconds.
 * Prints `ready` once the relay runs.
 */
import { createOrdo } from '../../../src/engine/ordo.js';

const ordo = await createOrdo({
  databaseUrl: process.env.DATABASE_URL!,
  webhooks: { allowPrivateTargets: true, attemptTimeoutMs: 1000, leaseSeconds: 3, retrySchedule: '0s,1s,1s,1s,1s,1s' },
  relay: { pollMs: 200 },
  onError: (err) => console.error(err),
});
const stop = ordo.relay.start();
process.on('SIGTERM', () => {
  void stop().then(() => ordo.close()).then(() => process.exit(0));
});
console.log('ready');
