/**
 * Progress on stderr, so that stdout keeps only the report: a bar over the planned measuring
 * time on a terminal, plain lines otherwise (CI logs, pipes).
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Untimed setup (seeding): shown, not counted. */
  note(label: string): void;
  /** A timed phase begins: `seconds` of the planned total. */
  begin(label: string, seconds: number): void;
  end(summary: string): void;
  stop(): void;
}

export function progress(totalSeconds: number): Progress {
  const stream = process.stderr;
  if (!stream.isTTY) {
    return {
      note: () => {},
      begin: (label) => stream.write(`[bench] ${label} ...\n`),
      end: (summary) => stream.write(`[bench]   ${summary}\n`),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: 'bench |{bar}| {percentage}% | {phase} | {last}', hideCursor: true, etaBuffer: 1000 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(totalSeconds, 0, { phase: 'starting', last: '' });
  let done = 0;
  let phase: { started: number; seconds: number } | undefined;
  // Redrawn on a timer rather than per operation, so the bar costs the measured loops nothing.
  const timer = setInterval(() => {
    if (phase) bar.update(done + Math.min(phase.seconds, (performance.now() - phase.started) / 1000));
  }, 250);
  return {
    note: (label) => bar.update(done, { phase: label }),
    begin(label, seconds) {
      phase = { started: performance.now(), seconds };
      bar.update(done, { phase: label });
    },
    end(summary) {
      done += phase?.seconds ?? 0;
      phase = undefined;
      bar.update(done, { last: summary });
    },
    stop() {
      clearInterval(timer);
      bar.stop();
    },
  };
}
