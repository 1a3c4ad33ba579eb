// The compiled build (dist/), made again only when a source file is newer than it: what
// `npm start` runs, and what the tests that start `ordo` as a process run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const entry = path.join(root, 'dist', 'cli', 'main.js');
/** dist/cli/main.js and what it imports as one file (build-startup.mjs). */
export const bundle = path.join(root, 'dist', 'cli', 'main.bundle.js');
/** The index of the route schemas compiled (build-startup.mjs writes them last). */
const compiledSchemas = path.join(root, 'dist', 'http', 'compiled-schemas', 'index.json');

/** The newest modification time under `dir`, in milliseconds. */
function newest(dir) {
  let latest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    latest = Math.max(latest, item.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : -1);

/** Whether build-startup.mjs ran since tsc last wrote the build. */
const startupBuilt = () => mtime(compiledSchemas) >= mtime(entry);

function run(args, what) {
  const child = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (child.status !== 0) throw new Error(`${what} failed (exit ${child.status})`);
}

/** Compiles when the build is missing or older than the sources; true if it compiled. Throws if the compiler fails. */
export function buildIfStale(say = () => {}) {
  const compiled = existsSync(entry) && newest(path.join(root, 'src')) <= statSync(entry).mtimeMs;
  if (compiled && startupBuilt()) return false;
  if (!compiled) {
    say('compiling Ordo (the sources changed since the last build)…');
    run([path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], 'the TypeScript build');
  } else {
    say('compiling Ordo\'s route schemas and bundle (the build has not made them yet)…');
  }
  try {
    run([path.join(root, 'scripts', 'build-startup.mjs')], 'compiling the route schemas and bundling');
  } catch (err) {
    // A start without them is slower, not wrong: say so, and try again at the next start.
    say(`ordo: ${err.message}; starting without them`);
  }
  return true;
}

/** What `npm start` runs: the bundle when the build made it (esbuild installed), else tsc's output. */
export const startEntry = () => (mtime(bundle) >= mtime(entry) ? bundle : entry);
