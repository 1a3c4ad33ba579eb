/**
 * Who runs the embedded PostgreSQL of a data directory. The Ordo process that starts it writes
 * itself into <dataDir>/owner.json (pid and database URL); PostgreSQL writes its postmaster's
 * pid into <dataDir>/pg/postmaster.pid. A live postmaster whose parent is the recorded Ordo is
 * in use; one whose parent is some other process was left behind by an Ordo that died
 * (kill -9) and blocks a new start until it is stopped.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

export interface Owner {
  readonly pid: number;
  readonly databaseUrl: string;
}

export type DataDirState =
  | { readonly kind: 'free' }
  | { readonly kind: 'in-use'; readonly owner: Owner }
  | { readonly kind: 'orphaned'; readonly postgresPid: number };

export const databaseDirOf = (dataDir: string) => path.resolve(dataDir, 'pg');
const ownerFile = (dataDir: string) => path.resolve(dataDir, 'owner.json');

interface ProcessInfo {
  readonly name: string;
  readonly ppid: number;
}

/** A running process's name and parent (a zombie counts as gone); from /proc, else from `ps`. */
async function processInfo(pid: number): Promise<ProcessInfo | undefined> {
  if (existsSync('/proc/self/stat')) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined) return undefined;
    // "pid (name) state ppid ...": the name itself may hold spaces and parentheses.
    const close = stat.lastIndexOf(')');
    const [state, ppid] = stat.slice(close + 2).split(' ');
    return state === 'Z' || state === 'X' ? undefined : { name: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(ppid) };
  }
  try {
    const { stdout } = await promisify(execFile)('ps', ['-o', 'stat=,ppid=,comm=', '-p', String(pid)]);
    const [state = '', ppid, ...name] = stdout.trim().split(/\s+/);
    return state.startsWith('Z') ? undefined : { name: path.basename(name.join(' ')), ppid: Number(ppid) };
  } catch {
    return undefined; // ps exits non-zero when there is no such process
  }
}

/** The postmaster serving this directory, if one runs: the file may outlive it, and its pid be reused after a reboot. */
export async function livePostmaster(dataDir: string): Promise<{ pid: number; ppid: number } | undefined> {
  const text = await readFile(path.join(databaseDirOf(dataDir), 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number(text.split('\n')[0]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  const info = await processInfo(pid);
  return info?.name === 'postgres' ? { pid, ppid: info.ppid } : undefined;
}

async function readOwner(dataDir: string): Promise<Owner | undefined> {
  try {
    const owner = JSON.parse(await readFile(ownerFile(dataDir), 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' && typeof owner.databaseUrl === 'string' ? { pid: owner.pid, databaseUrl: owner.databaseUrl } : undefined;
  } catch {
    return undefined;
  }
}

export async function inspectDataDir(dataDir: string): Promise<DataDirState> {
  const postmaster = await livePostmaster(dataDir);
  if (!postmaster) return { kind: 'free' };
  const owner = await readOwner(dataDir);
  return owner?.pid === postmaster.ppid ? { kind: 'in-use', owner } : { kind: 'orphaned', postgresPid: postmaster.pid };
}

export async function recordOwner(dataDir: string, owner: Owner): Promise<void> {
  await writeFile(ownerFile(dataDir), `${JSON.stringify(owner)}\n`);
}

/** Forgets the owner on a clean stop, unless another process has taken the directory since. */
export async function forgetOwner(dataDir: string, pid: number): Promise<void> {
  if ((await readOwner(dataDir))?.pid === pid) await rm(ownerFile(dataDir), { force: true });
}

async function gone(pid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(50)) {
    if (!(await processInfo(pid))) return true;
  }
  return !(await processInfo(pid));
}

/** Stops a postmaster that is not our child: fast shutdown first, then immediate, then kill. */
export async function stopOrphan(dataDir: string, pid: number): Promise<void> {
  for (const [signal, ms] of [['SIGINT', 5000], ['SIGQUIT', 2000], ['SIGKILL', 2000]] as const) {
    try {
      process.kill(pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return;
      throw new Error(`a PostgreSQL server (pid ${pid}) left running in ${databaseDirOf(dataDir)} belongs to another user; stop it (kill ${pid}) and start again`);
    }
    if (await gone(pid, ms)) return;
  }
  throw new Error(`a PostgreSQL server (pid ${pid}) left running in ${databaseDirOf(dataDir)} does not stop; stop it (kill -9 ${pid}) and start again`);
}
