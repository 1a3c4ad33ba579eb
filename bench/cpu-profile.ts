/**
 * Where a V8 CPU profile (--cpu-prof) says the time went: self time by function and by the
 * package or part of Node it belongs to.
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

/** A stretch of the system's monotonic clock, in microseconds (process.hrtime, V8's profile timestamps). */
export interface Window { readonly from: number; readonly to: number }

export const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

export interface ProfileItem { readonly name: string; readonly ms: number; readonly share: number }
export interface ProfileSummary { readonly totalMs: number; readonly byFunction: ProfileItem[]; readonly byPlace: ProfileItem[] }

/** The package (node_modules/<name>), Node's own code, Ordo's own, or V8's pseudo-frames. */
function placeOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const own = /\/dist\/([^/]+)\//.exec(url);
  return own ? `ordo ${own[1]}` : url;
}

/** Self time within `window` (the load, without start-up), else over the whole profile. */
export async function summarizeProfile(file: string, window?: Window, top = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
  // Each sample's time is the sum of the deltas so far; a sample counts for its delta.
  const selfMs = new Map<number, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (!window || (t >= window.from && t <= window.to)) selfMs.set(id, (selfMs.get(id) ?? 0) + delta / 1000);
  });
  const fns = new Map<string, number>();
  const places = new Map<string, number>();
  let idle = 0;
  let all = 0;
  for (const n of profile.nodes) {
    const ms = selfMs.get(n.id) ?? 0;
    all += ms;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)') {
      idle += ms;
      continue;
    }
    const short = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/');
    const key = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + ms);
    const place = placeOf(url, functionName);
    places.set(place, (places.get(place) ?? 0) + ms);
  }
  const totalMs = all - idle;
  const ranked = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({ name, ms: Math.round(ms), share: ms / totalMs }));
  return { totalMs: Math.round(totalMs), byFunction: ranked(fns), byPlace: ranked(places) };
}
