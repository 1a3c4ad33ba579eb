/** What every bench section hands back: figures for the JSON file, and its part of REPORT.md. */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import type { Progress } from './progress.js';

export interface SectionReport {
  readonly section: string;
  /** Its part of REPORT.md (and what the command prints). */
  readonly markdown: string;
  readonly figures: unknown;
  /** What the command prints, when not the markdown itself. */
  readonly text?: string;
}

export interface Common {
  /** A server to create the bench's own databases on, instead of embedded PostgreSQL in a temp dir. */
  readonly databaseUrl?: string;
  /** Fewer and shorter runs (the report's default): figures for a trend, not for a release. */
  readonly quick?: boolean;
}

/** Writes bench/results/<section>.json, with when and where it was measured. */
export async function keep(report: SectionReport): Promise<SectionReport> {
  const dir = new URL('./results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const at = { date: new Date().toISOString(), loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))) };
  await writeFile(new URL(`${report.section}.json`, dir), `${JSON.stringify({ section: report.section, ...at, figures: report.figures }, null, 2)}\n`);
  return report;
}

/** Progress as plain lines on stderr (the sections' steps are long and few). */
export const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

export type { Progress };
