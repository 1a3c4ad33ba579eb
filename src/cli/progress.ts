/** A progress bar on stderr for long work; plain lines when stderr is not a terminal. */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, payload?: { total?: number }): void;
  stop(): void;
}

export function progressBar(what: string): Progress {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({ format: `${what} {value} [{bar}]`, stream: process.stderr, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar.start(0, 0);
  return {
    update: (done, payload) => {
      if (payload?.total !== undefined) bar.setTotal(Math.max(payload.total, 1));
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}
