// The admin UI's build (dist/admin), made again only when a file under admin/ is newer than it:
// what `npm install` (prepare) and `npm start` run. A failed or impossible build never stops the
// API from starting: /admin then says how to build it.
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const adminIndex = path.join(root, 'dist', 'admin', 'index.html');
const sources = path.join(root, 'admin');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');

/** The newest modification time under `dir`, in milliseconds. */
function newest(dir) {
  let latest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    if (item.name === 'node_modules' || item.name === 'dist') continue;
    const full = path.join(dir, item.name);
    latest = Math.max(latest, item.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

export function adminIsStale() {
  if (!existsSync(sources)) return false;
  return !existsSync(adminIndex) || newest(sources) > statSync(adminIndex).mtimeMs;
}

/** Builds when missing or stale; 'fresh', 'built', or 'failed' (with why, said through `say`). */
export function buildAdminIfStale(say = () => {}) {
  if (!adminIsStale()) return 'fresh';
  if (!existsSync(vite)) {
    say('ordo: the admin UI is not built and Vite is not installed (npm install installs it); /admin says how to build it');
    return 'failed';
  }
  say('building the admin UI (its sources changed since the last build)…');
  const run = spawnSync(process.execPath, [vite, 'build', '--config', path.join(sources, 'vite.config.ts'), '--logLevel', 'warn'], { stdio: 'inherit', cwd: root });
  if (run.status !== 0) {
    say(`ordo: the admin UI build failed (exit ${run.status}); the API still starts, /admin says how to build it`);
    return 'failed';
  }
  return 'built';
}

// `node scripts/build-admin-if-stale.mjs [--force]`: what `npm run build:admin` runs.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--force') && existsSync(vite)) {
    const run = spawnSync(process.execPath, [vite, 'build', '--config', path.join(sources, 'vite.config.ts')], { stdio: 'inherit', cwd: root });
    process.exit(run.status ?? 1);
  }
  const result = buildAdminIfStale((line) => console.log(line));
  // Without Vite (an install without dev dependencies) there is nothing to build with: not an error.
  process.exit(result === 'failed' && existsSync(vite) ? 1 : 0);
}
