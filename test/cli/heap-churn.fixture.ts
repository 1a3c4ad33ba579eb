/**
 * A process whose live data (about 30 MB) turns over, as a server's does under load: each round
 * replaces a slice of it, so the old generation fills with the dead. Prints the most heap it
 * used; with `bound`, after `boundHeapGrowth()` as `ordo serve` calls it.
 */
import process from 'node:process';
import v8 from 'node:v8';
import { boundHeapGrowth } from '../../src/cli/heap-growth.js';

if (process.argv[2] === 'bound') boundHeapGrowth();
const slice = (tag: string) => Array.from({ length: 1000 }, (_, i) => ({ i, s: `${tag}${i}` }));
const live = Array.from({ length: 300 }, () => slice('x'));
let peak = 0;
for (let round = 0; round < 6000; round++) {
  live[round % live.length] = slice(`y${round}-`);
  if (round % 10 === 0) peak = Math.max(peak, v8.getHeapStatistics().used_heap_size);
}
process.stdout.write(JSON.stringify({ peak, kept: live.length }));
