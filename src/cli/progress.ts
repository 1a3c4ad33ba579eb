/** A progress bar on stderr for long work; plain lines when stderr is not a terminal. */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

export function progressBar(what: string, total: number): Progress {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({ format: `${what} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar.start(Math.max(total, 1), 0);
  return {
    // Others may add due timers meanwhile: the bar grows rather than overflows.
    update: (done) => {
      if (done > bar.getTotal()) bar.setTotal(done);
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}
