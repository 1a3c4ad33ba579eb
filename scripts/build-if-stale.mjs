// The compiled build (dist/), made again only when a source file is newer than it: what
// `npm start` runs, and what the tests that start `ordo` as a process run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const entry = path.join(root, 'dist', 'cli', 'main.js');

/** The newest modification time under `dir`, in milliseconds. */
function newest(dir) {
  let latest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    latest = Math.max(latest, item.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/** Compiles when the build is missing or older than the sources; true if it compiled. Throws if the compiler fails. */
export function buildIfStale(say = () => {}) {
  if (existsSync(entry) && newest(path.join(root, 'src')) <= statSync(entry).mtimeMs) return false;
  say('compiling Ordo (the sources changed since the last build)…');
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error(`the TypeScript build failed (exit ${tsc.status})`);
  return true;
}
