/**
 * The `ordo` command as a child process: what the CLI tests run. It runs the compiled build, as
 * `npm start` does (the global setup makes it again first if the sources changed): starting it
 * through tsx would compile it anew in every process, seconds each.
 */
import { spawn } from 'node:child_process';
import { entry } from '../../scripts/build-if-stale.mjs';

export const spawnOrdo = (args: readonly string[], env: Record<string, string> = {}) =>
  spawn(process.execPath, [entry, ...args], { env: { ...process.env, ...env } });

/** Runs the command to its end: its exit code and what it printed. */
export async function runOrdo(args: readonly string[], env: Record<string, string> = {}) {
  const child = spawnOrdo(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}
