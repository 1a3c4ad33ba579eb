#!/usr/bin/env node
/** The `ordo` command. Errors end in one plain line on stderr and a non-zero exit. */
import { Command } from 'commander';
import { createOrdo } from '../engine/ordo.js';
import { toMermaid } from '../domain/workflow/mermaid.js';
import { findWorkflow, presets } from '../workflows/index.js';
import { readConfig } from './config.js';
import { serve } from './serve.js';

const program = new Command('ordo').description('Ordo, a headless order-processing engine').showHelpAfterError();

program.command('serve').description('start the HTTP API (and the embedded PostgreSQL unless DATABASE_URL is set)').action(async () => {
  await serve(readConfig());
});

program.command('migrate').description('apply pending database migrations and exit').action(async () => {
  const config = readConfig();
  const ordo = await createOrdo({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir, migrate: false });
  try {
    const { migrate } = await import('../store/migrate.js');
    const applied = await migrate(ordo.databaseUrl);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
  } finally {
    await ordo.close();
  }
});

const workflow = program.command('workflow').description('show the workflows');
workflow.command('list').description('list the workflows').action(() => {
  for (const wf of presets.values()) console.log(`${wf.name.padEnd(12)} ${wf.label} — tracks: ${wf.tracks.map((t) => t.id).join(', ')}`);
});
workflow.command('show <name>').description('print a workflow as JSON, or as a Mermaid diagram').option('--mermaid', 'print a Mermaid state diagram').action((name: string, opts: { mermaid?: boolean }) => {
  const wf = findWorkflow(name);
  if (!wf) throw new Error(`there is no workflow '${name}' (try: ${[...presets.keys()].join(', ')})`);
  process.stdout.write(opts.mermaid ? toMermaid(wf) : `${JSON.stringify(wf, null, 2)}\n`);
});

program.parseAsync().catch((err: unknown) => {
  console.error(`ordo: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  process.exit(1);
});
