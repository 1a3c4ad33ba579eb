/**
 * The `ordo` command as a child process: what the CLI tests run. It runs the compiled build, as
 * `npm start` does (the global setup makes it again first if the sources changed): starting it
 * through tsx would compile it anew in every process, seconds each.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { freePort } from '../../src/store/embedded.js';
import { startEntry } from '../../scripts/build-if-stale.mjs';

export const spawnOrdo = (args: readonly string[], env: Record<string, string> = {}) =>
  spawn(process.execPath, [startEntry(), ...args], { env: { ...process.env, ...env } });

/** Runs the command to its end: its exit code and what it printed. */
export function runOrdo(args: readonly string[], env: Record<string, string> = {}) {
  return runToEnd(spawnOrdo(args, env));
}

/** A child process run to its end: its exit code and what it printed. */
export async function runToEnd(child: ChildProcessWithoutNullStreams) {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

/** `ordo serve` as a child process, once it says it serves (it prints where its admin key is). */
export interface Serving {
  readonly child: ChildProcessWithoutNullStreams;
  readonly base: string;
  /** Everything it printed so far. */
  readonly out: () => string;
  /** Its exit code, once it ended. */
  readonly closed: Promise<number | null>;
  /** SIGINT, then its exit code. */
  stop(): Promise<number | null>;
}

export async function serveOrdo(env: Record<string, string>): Promise<Serving> {
  const port = await freePort();
  const child = spawnOrdo(['serve'], { ...env, PORT: String(port) });
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  let out = '';
  child.stderr.on('data', (d: Buffer) => (out += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => ((out += d), out.includes('Admin key') && resolve()));
    void closed.then((code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  return { child, base: `http://127.0.0.1:${port}`, out: () => out, closed, stop: () => (child.kill('SIGINT'), closed) };
}
