/** The `ordo` command from the sources, as a child process: what the CLI tests run. */
import { spawn } from 'node:child_process';

export const spawnOrdo = (args: readonly string[], env: Record<string, string> = {}) =>
  spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, ...env } });

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
