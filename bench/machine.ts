/** Where and on what the figures were measured: the machine, the software, the commit. */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { median } from './stats.js';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly loadAverage: readonly number[];
  readonly commit: string;
}

function cpuModel(): string {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export const machine = (): Machine => ({
  cpu: cpuModel(),
  cores: os.availableParallelism(),
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
  loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  commit: commit(),
});

/**
 * How fast the machine runs at this moment: milliseconds for a fixed piece of work on one core
 * (20,000 chained SHA-256 hashes), the median of five. A shared virtual machine changes speed
 * from one quarter of an hour to the next; taken at the start and the end of a run, this says
 * how fast it was meanwhile (more is slower), so that runs can be compared.
 */
export function speedGauge(): number {
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    let digest = Buffer.alloc(32);
    for (let i = 0; i < 20_000; i++) digest = createHash('sha256').update(digest).digest();
    times.push(performance.now() - started);
  }
  return Math.round(median(times));
}

/**
 * What waking another process costs at this moment: microseconds per round trip of one byte to
 * a child process that echoes it (2,000 of them after 200 to warm up). A round trip to
 * PostgreSQL pays the same wake-ups besides PostgreSQL's own work; on a virtual machine they
 * slow down when its host is busy, while a computation on one core may not.
 */
export async function wakeupGauge(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'process.stdin.on("data", (d) => process.stdout.write(d))'], { stdio: ['pipe', 'pipe', 'ignore'] });
  try {
    const echo = () => new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.stdin.write('x', (err) => err && reject(err));
    });
    for (let i = 0; i < 200; i++) await echo();
    const started = performance.now();
    for (let i = 0; i < 2000; i++) await echo();
    return Math.round(((performance.now() - started) * 1000) / 2000);
  } finally {
    child.kill();
  }
}
