/** What a process costs, read from /proc: CPU time and resident memory (Linux only). */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on every Linux this runs on

/** The fields of /proc/<pid>/stat after the name, from the state on (the name may hold spaces). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

// Indexes into statFields: ppid, utime, stime, cutime, cstime (the 4th, 14th to 17th fields of stat).
const PPID = 1;
const UTIME = 11;
const CUTIME = 13;
const ticksToMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;

/** User + system CPU time of `pid` so far, in milliseconds. */
export function cpuMillis(pid: number): number {
  const f = statFields(pid);
  return ticksToMs(Number(f[UTIME]) + Number(f[UTIME + 1]));
}

/**
 * CPU time of a process and its children so far, in milliseconds: its own, its children's that
 * ended (and were waited for), and its live children's. For PostgreSQL's postmaster, that is the
 * whole server: every backend and background worker is its child.
 */
export function treeCpuMillis(pid: number): number {
  const f = statFields(pid);
  let ticks = Number(f[UTIME]) + Number(f[UTIME + 1]) + Number(f[CUTIME]) + Number(f[CUTIME + 1]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const c = statFields(Number(entry));
      if (Number(c[PPID]) === pid) ticks += Number(c[UTIME]) + Number(c[UTIME + 1]);
    } catch {
      // it ended meanwhile: its time is in the parent's children's time once waited for
    }
  }
  return ticksToMs(ticks);
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
