/**
 * `ordo relay`: the relay alone, beside servers that do not run one or to add another process
 * to a backlog (relays share the work through row locks). `--once` drains what is due and exits.
 */
import type { Config } from './config.js';
import { withOrdo } from './serve.js';

const STOP_LIMIT_MS = 3000;

export async function relay(config: Config, once: boolean): Promise<void> {
  await withOrdo(config, async (ordo) => {
    if (once) {
      await ordo.relay.drain();
      console.log('the relay is drained: every committed event has its place, and what was due went out');
      return;
    }
    const stop = ordo.relay.start();
    console.log('Ordo relay running: events go out to webhooks and notifications (Ctrl-C stops)');
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.removeAllListeners(signal);
        process.on(signal, () => {
          // Sends still in flight are retried by whichever relay runs next: their claims lapse.
          setTimeout(() => process.exit(1), STOP_LIMIT_MS).unref();
          void stop().then(resolve);
        });
      }
    });
  });
}
