/**
 * A workflow as a Markdown page for merchants: its diagram, statuses, who may move the order
 * where, what moves it on its own, timers, settings. Where it comes from (the platform's pages,
 * the choices marked "inferred:" in the definition) closes the page, apart from what it does.
 * The pages in docs/workflows are generated from here, so they cannot drift from the code.
 */
import type { Guard, TrackDefinition, WorkflowDefinition } from './definition.js';
import { describeGuard } from './guards.js';
import { toMermaid } from './mermaid.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** A note as a merchant reads it: what the rule does, without the "inferred:" bookkeeping (kept for the last section). */
const plain = (s: string | undefined) => (s ?? '').replace(/^inferred:?\s*/i, '').replace(/;?\s*inferred:?.*$/i, '');
/** The platform documentation each preset follows (the seed pages in ../shared/seeds). */
const SOURCES: Readonly<Record<string, string>> = {
  standard: "Ordo's own workflow: it takes what works from the four presets and closes their gaps (see docs/workflows/README.md)",
  xcart: "X-Cart's order status pages (seeds 000 and 001)",
  nutickets: "Nu Web Group's nuTickets order lifecycle page (seed 002)",
  nexway: 'Nexway Monetize\'s order status page (seed 003)',
  vendure: "Vendure's order workflow page (seed 004)",
};
const froms = (f: readonly string[] | '*') => (f === '*' ? 'any' : f.map((x) => `\`${x}\``).join(', '));
const guards = (g: readonly Guard[] | undefined) => (g && g.length ? g.map(describeGuard).join('; ') : '');

export function toMarkdown(wf: WorkflowDefinition): string {
  const out: string[] = [
    `# ${wf.label} (\`${wf.name}\`, version ${wf.version})`,
    '',
    wf.description,
    '',
    ...(wf.numbering === 'finished' ? ['An order gets its number once it is finished: not while a new online order waits for the gateway\'s first answer, nor while a status says "no order number yet", unless an admin changes one of its statuses.', ''] : []),
    ...(wf.revision ? [`As this deployment runs it: the shipped workflow with the merchant's changes (revision ${wf.revision}).`, ''] : []),
    '```mermaid',
    toMermaid(wf).trimEnd(),
    '```',
    '',
  ];
  for (const track of wf.tracks) out.push(...trackSection(wf, track));
  const settings = Object.entries(wf.settings);
  if (settings.length) {
    out.push('## Settings', '', '| setting | default | |', '| --- | --- | --- |', ...settings.map(([k, v]) => `| \`${k}\` | ${cell(String(v))} | ${cell(plain(wf.settingNotes?.[k]))} |`), '');
  }
  out.push('## What a merchant may change', '', ...merchantChanges(wf), '');
  out.push(...whereFrom(wf));
  return out.join('\n');
}

function trackSection(wf: WorkflowDefinition, track: TrackDefinition): string[] {
  const out = [`## ${wf.tracks.length > 1 ? `Track \`${track.id}\`: ` : ''}${track.label}`, '', `Starts at \`${track.initial}\`.`, ''];
  out.push('| status | label | kind | stock | notes |', '| --- | --- | --- | --- | --- |');
  for (const s of track.states) {
    const notes = [
      s.code && s.code !== s.id ? `code ${s.code}` : '', s.customerAlias ? `customers see \`${s.customerAlias}\`` : '', s.placed ? 'checked out' : '', s.basket ? `basket ${s.basket}` : '',
      s.completes ? 'runs the completion steps' : '', s.cancels ? 'cancels what is left' : '', s.announcesCancellation ? 'sends the cancellation notice' : '', s.unnumbered ? 'no order number yet' : '', s.holdsGoods ? 'nothing ships' : '', plain(s.description),
    ]
      .filter(Boolean).join('; ');
    out.push(`| \`${s.id}\` | ${cell(s.label)} | ${s.kind} | ${s.stock ?? 'none'} | ${cell(notes)} |`);
  }
  out.push('', '### Who may move it', '', '| from | to | who | only if | |', '| --- | --- | --- | --- | --- |');
  for (const t of track.transitions) out.push(`| ${froms(t.from)} | \`${t.to}\` | ${t.actors.join(', ')} | ${cell(guards(t.guards))} | ${cell(plain(t.description))} |`);
  if (track.reactions?.length) {
    out.push('', '### What moves it on its own', '', '| when | from | to | only if | |', '| --- | --- | --- | --- | --- |');
    for (const r of track.reactions) out.push(`| \`${r.on}\` | ${froms(r.from)} | \`${r.to}\` | ${cell(guards(r.guards))} | ${cell(plain(r.description))} |`);
  }
  if (track.timers?.length) {
    out.push('', '### Timers', '', '| timer | in | due | fires | |', '| --- | --- | --- | --- | --- |');
    for (const t of track.timers) {
      const due = [t.at ? `the order's \`${t.at}\` deadline` : '', t.after ? `${t.at ? 'else ' : ''}after \`${t.after}\` (${String(wf.settings[t.after])})` : ''].filter(Boolean).join(', ');
      const extra = [t.extendable ? 'extendable once' : '', t.restartOnBasketChange ? `restarts on a basket change (\`${t.restartOnBasketChange}\`)` : '', t.backoff ? `backs off ×${t.backoff.factor} up to \`${t.backoff.max}\`` : '', t.removes ? 'removes the order' : '', plain(t.description)].filter(Boolean).join('; ');
      out.push(`| \`${t.name}\` | \`${t.state}\` | ${cell(due)} | \`${t.fire}\` | ${cell(extra)} |`);
    }
  }
  out.push('');
  return out;
}

function merchantChanges(wf: WorkflowDefinition): string[] {
  const out = [`- Rename any status (\`PUT /v1/workflows/${wf.name}/statuses/{track}/{status}\` with a \`label\`): the id integrations use stays, the new name is what admins and customers see.`];
  if (Object.keys(wf.settings).length) out.push(`- Change any setting above for this deployment (\`PATCH /v1/workflows/${wf.name}/settings\`; \`null\` puts the default back). A timer already running keeps its due time.`);
  if (wf.customStatuses) out.push("- Add statuses of its own to any track (the same `PUT` with a new id; `DELETE` removes one no order is in): an admin sets them from any status, they move no stock, and no rule moves an order into or out of them.");
  return out;
}

/** The last section: what the preset follows, what it chose where its source is silent, and how the page is made. */
function whereFrom(wf: WorkflowDefinition): string[] {
  const inferred = inferredChoices(wf);
  return [
    '## Where this comes from',
    '',
    `Follows ${SOURCES[wf.name] ?? 'no published workflow: a workflow of its own'}.`,
    '',
    ...(inferred.length ? ['Where that documentation is silent, Ordo chose:', '', ...inferred.map((x) => `- ${x}`), ''] : []),
    `Generated from \`src/workflows/${wf.name}.ts\` by \`ordo workflow show ${wf.name} --markdown --shipped\` (\`npm run docs:workflows\`).`,
    '',
  ];
}

/** Every description that says "inferred:", with where it stands. */
function inferredChoices(wf: WorkflowDefinition): string[] {
  const found: string[] = [];
  const note = (where: string, text: string | undefined) => {
    const m = text && /inferred:?\s*(.*)$/i.exec(text);
    if (m) found.push(`${where}: ${m[1]}`);
  };
  for (const [name, text] of Object.entries(wf.settingNotes ?? {})) note(`setting \`${name}\``, text);
  for (const track of wf.tracks) {
    for (const s of track.states) note(`status \`${s.id}\``, s.description);
    for (const t of track.transitions) note(`${froms(t.from)} → \`${t.to}\``, t.description);
    for (const r of track.reactions ?? []) note(`on \`${r.on}\` → \`${r.to}\``, r.description);
    for (const t of track.timers ?? []) note(`timer \`${t.name}\``, t.description);
  }
  return found;
}
