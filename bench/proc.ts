/** What a process costs, read from /proc: CPU time and resident memory (Linux only). */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on every Linux this runs on

/** User + system CPU time of `pid` so far, in milliseconds. */
export function cpuMillis(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // "pid (name) state ..." : utime and stime are the 14th and 15th fields; the name may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Resident set size of `pid`, in MB. */
export function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Samples `pid`'s RSS every `ms` until stopped; the samples, in MB. */
export function sampleRss(pid: number, ms = 250): () => number[] {
  const samples: number[] = [];
  const take = () => {
    try {
      samples.push(rssMegabytes(pid));
    } catch {
      // the process ended: nothing more to sample
    }
  };
  take();
  const timer = setInterval(take, ms);
  return () => {
    clearInterval(timer);
    take();
    return samples;
  };
}
