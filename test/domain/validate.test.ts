import { describe, expect, it } from 'vitest';
import type { ActorKind } from '../../src/domain/actor.js';
import type { TrackDefinition, WorkflowDefinition } from '../../src/domain/workflow/definition.js';
import { assertValidWorkflow, validateWorkflow, WorkflowDefinitionError } from '../../src/domain/workflow/validate.js';
import { standard } from '../../src/workflows/standard.js';

/** A small valid workflow: new -> open -> done, and a hold timer that closes a new order. */
const baseTrack: TrackDefinition = {
  id: 'main',
  label: 'Main',
  initial: 'new',
  states: [
    { id: 'new', label: 'New', kind: 'temporary' },
    { id: 'open', label: 'Open', kind: 'permanent' },
    { id: 'done', label: 'Done', kind: 'terminal' },
  ],
  transitions: [
    { from: ['new'], to: 'open', actors: ['customer'] },
    { from: ['open'], to: 'done', actors: ['admin'] },
  ],
  reactions: [{ on: 'hold.expired', from: ['new'], to: 'done' }],
  timers: [{ name: 'hold', state: 'new', after: 'holdFor', fire: 'hold.expired' }],
};

const tiny = (track: Partial<TrackDefinition> = {}, wf: Partial<WorkflowDefinition> = {}): WorkflowDefinition => ({
  name: 'tiny',
  version: 1,
  label: 'Tiny',
  description: 'a workflow for tests',
  settings: { holdFor: '10m' },
  tracks: [{ ...baseTrack, ...track }],
  ...wf,
});

const { states, transitions } = baseTrack;

interface Case {
  readonly name: string;
  readonly wf: WorkflowDefinition;
  /** One entry per expected problem, in order: text the problem must contain. */
  readonly problems: readonly string[];
}

const cases: readonly Case[] = [
  { name: 'a small valid workflow', wf: tiny(), problems: [] },
  {
    name: 'a transition from an unknown state',
    wf: tiny({ transitions: [...transitions, { from: ['ghost'], to: 'done', actors: ['admin'] }] }),
    problems: ["track 'main': transition #3 (to 'done') names unknown state 'ghost'"],
  },
  {
    name: 'a transition to an unknown state',
    wf: tiny({ transitions: [...transitions, { from: ['open'], to: 'nowhere', actors: ['admin'] }] }),
    problems: ["transition #3 (to 'nowhere') names unknown state 'nowhere'"],
  },
  {
    name: 'a reaction to an unknown state',
    wf: tiny({ reactions: [{ on: 'hold.expired', from: ['new'], to: 'void' }] }),
    problems: ["reaction #1 (on 'hold.expired') names unknown state 'void'"],
  },
  {
    name: 'an unknown initial state',
    wf: tiny({ initial: 'start' }),
    problems: ["track 'main': the initial state names unknown state 'start'"],
  },
  {
    name: 'an unreachable state',
    wf: tiny({ states: [...states, { id: 'lost', label: 'Lost', kind: 'permanent' }] }),
    problems: ["state 'lost' is unreachable from 'new'"],
  },
  {
    name: 'a temporary state with no way out',
    wf: tiny({
      states: [...states, { id: 'stuck', label: 'Stuck', kind: 'temporary' }],
      transitions: [...transitions, { from: ['open'], to: 'stuck', actors: ['admin'] }],
    }),
    problems: ["temporary state 'stuck' has no way out"],
  },
  {
    name: 'a temporary state whose only transition leads back to itself',
    wf: tiny({
      states: [...states, { id: 'stuck', label: 'Stuck', kind: 'temporary' }],
      transitions: [...transitions, { from: ['open'], to: 'stuck', actors: ['admin'] }, { from: ['stuck'], to: 'stuck', actors: ['admin'] }],
    }),
    problems: ["temporary state 'stuck' has no way out"],
  },
  {
    name: 'a terminal state with a way out',
    wf: tiny({ transitions: [...transitions, { from: ['done'], to: 'open', actors: ['admin'] }] }),
    problems: ["terminal state 'done' has a way out (to open)"],
  },
  {
    name: 'a timer whose setting is missing',
    wf: tiny({}, { settings: {} }),
    problems: ["timer 'hold' waits for setting 'holdFor', which is not defined"],
  },
  {
    name: 'a timer whose setting is a number, not a duration',
    wf: tiny({}, { settings: { holdFor: 600 } }),
    problems: ["timer 'hold' waits for setting 'holdFor', which is not a duration like 10m"],
  },
  {
    name: 'a timer whose setting is text that is not a duration',
    wf: tiny({}, { settings: { holdFor: '10 minutes' } }),
    problems: ['which is not a duration'],
  },
  {
    name: 'a timer firing an event that no reaction handles',
    wf: tiny({ timers: [{ name: 'hold', state: 'new', after: 'holdFor', fire: 'hold.forgotten' }] }),
    problems: ["timer 'hold' fires 'hold.forgotten' in 'new', but no reaction handles it there or on another track (a timer into nowhere)"],
  },
  {
    name: 'a timer whose event is handled only in another state',
    wf: tiny({ timers: [{ name: 'hold', state: 'open', after: 'holdFor', fire: 'hold.expired' }] }),
    problems: ["fires 'hold.expired' in 'open', but no reaction handles it there or on another track (a timer into nowhere)"],
  },
  {
    name: 'a timer in an unknown state',
    wf: tiny({ timers: [{ name: 'hold', state: 'limbo', after: 'holdFor', fire: 'hold.expired' }] }),
    problems: ["timer 'hold' names unknown state 'limbo'", 'a timer into nowhere'],
  },
  {
    name: 'an unknown actor',
    wf: tiny({ transitions: [{ from: ['new'], to: 'open', actors: ['robot' as ActorKind] }, transitions[1]!] }),
    problems: ["transition #1 (to 'open') names unknown actor 'robot'"],
  },
  {
    name: 'a transition with no actors',
    wf: tiny({ transitions: [transitions[0]!, { from: ['open'], to: 'done', actors: [] }] }),
    problems: ["transition #2 (to 'done') names no actor who may take it"],
  },
  {
    name: 'a guard naming an unknown track',
    wf: tiny({ transitions: [transitions[0]!, { ...transitions[1]!, guards: [{ kind: 'statusIn', track: 'payment', states: ['paid'] }] }] }),
    problems: ["track 'main': transition #2 (to 'done'): guard names unknown track 'payment'"],
  },
  {
    name: 'a guard naming an unknown state',
    wf: tiny({ transitions: [transitions[0]!, { ...transitions[1]!, guards: [{ kind: 'statusNotIn', track: 'main', states: ['new', 'gone'] }] }] }),
    problems: ["guard names unknown state 'main.gone'"],
  },
  {
    name: 'a negated reaction guard naming an unknown state',
    wf: tiny({ reactions: [{ on: 'hold.expired', from: ['new'], to: 'done', guards: [{ kind: 'not', guard: { kind: 'statusIn', track: 'main', states: ['gone'] } }] }] }),
    problems: ["reaction #1 (on 'hold.expired'): guard names unknown state 'main.gone'"],
  },
  {
    name: 'duplicate state ids',
    wf: tiny({ states: [...states, { id: 'open', label: 'Open again', kind: 'permanent' }] }),
    problems: ["track 'main': state 'open' is defined twice"],
  },
  {
    name: 'a reaction listening for entering an unknown state',
    wf: tiny({ reactions: [...baseTrack.reactions!, { on: 'entered:main.gone', from: ['open'], to: 'done' }] }),
    problems: ["reaction #2 (on 'entered:main.gone') listens for entering unknown state 'main.gone'"],
  },
  {
    name: 'duplicate track ids',
    wf: tiny({}, { tracks: [baseTrack, baseTrack] }),
    problems: ["track 'main' is defined twice"],
  },
  {
    name: 'a bad name and version',
    wf: tiny({}, { name: 'Tiny Flow', version: 0 }),
    problems: ["name 'Tiny Flow' must be lower-case", 'version must be a positive integer'],
  },
  { name: 'no tracks', wf: tiny({}, { tracks: [] }), problems: ['it has no tracks'] },
];

describe('validateWorkflow', () => {
  it.each(cases)('$name', ({ wf, problems }) => {
    const found = validateWorkflow(wf);
    expect(found).toHaveLength(problems.length);
    problems.forEach((text, i) => expect(found[i]).toContain(text));
  });

  it('accepts the standard preset', () => {
    expect(validateWorkflow(standard)).toEqual([]);
  });

  it('reports every problem of a workflow at once', () => {
    const wf = tiny(
      {
        states: [...states, { id: 'lost', label: 'Lost', kind: 'permanent' }],
        transitions: [...transitions, { from: ['done'], to: 'open', actors: [] }],
      },
      { settings: {} },
    );
    const found = validateWorkflow(wf);
    expect(found).toHaveLength(4);
    expect(found.join('\n')).toContain('names no actor');
    expect(found.join('\n')).toContain('which is not defined');
    expect(found.join('\n')).toContain("state 'lost' is unreachable");
    expect(found.join('\n')).toContain("terminal state 'done' has a way out");
  });

  // A state named deep inside `not(not(...))` is still checked.
  it('checks guards nested under several nots', () => {
    const wf = tiny({
      transitions: [transitions[0]!, { ...transitions[1]!, guards: [{ kind: 'not', guard: { kind: 'not', guard: { kind: 'statusIn', track: 'main', states: ['gone'] } } }] }],
    });
    expect(validateWorkflow(wf)).toEqual(["track 'main': transition #2 (to 'done'): guard names unknown state 'main.gone'"]);
  });

  it('reports a note on a setting that does not exist, and a settingOn guard on a setting that is not yes/no', () => {
    const wf = tiny({ transitions: [transitions[0]!, { ...transitions[1]!, guards: [{ kind: 'settingOn', setting: 'limit' }] }] }, { settings: { ...tiny().settings, limit: '10m' }, settingNotes: { limt: 'typo' } });
    expect(validateWorkflow(wf)).toEqual([
      "track 'main': transition #2 (to 'done'): guard names 'limit', which is not a yes/no setting",
      "a note describes setting 'limt', which is not defined",
    ]);
  });

  // A '*' reaction never fires in its own target state, so a timer there relying on it goes nowhere.
  it("reports a timer whose only reaction is a '*' reaction into the timer's own state", () => {
    const wf: WorkflowDefinition = {
      ...tiny(),
      tracks: [
        {
          id: 'main',
          label: 'Main',
          initial: 'new',
          states: [
            { id: 'new', label: 'New', kind: 'temporary' },
            { id: 'open', label: 'Open', kind: 'permanent' },
            { id: 'closed', label: 'Closed', kind: 'permanent' },
          ],
          transitions: [
            { from: ['new'], to: 'open', actors: ['customer'] },
            { from: ['open'], to: 'closed', actors: ['admin'] },
          ],
          reactions: [{ on: 'hold.expired', from: '*', to: 'open' }],
          timers: [{ name: 'hold', state: 'open', after: 'holdFor', fire: 'hold.expired' }],
        },
      ],
    };
    expect(validateWorkflow(wf).join('\n')).toContain('a timer into nowhere');
  });
});

describe('assertValidWorkflow', () => {
  it('returns a valid workflow unchanged', () => {
    const wf = tiny();
    expect(assertValidWorkflow(wf)).toBe(wf);
  });

  it('throws a WorkflowDefinitionError listing every problem', () => {
    const wf = tiny({ initial: 'start', transitions: [...transitions, { from: ['open'], to: 'done', actors: [] }] }, { settings: {} });
    let error: unknown;
    try {
      assertValidWorkflow(wf);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkflowDefinitionError);
    const wde = error as WorkflowDefinitionError;
    expect(wde.name).toBe('WorkflowDefinitionError');
    expect(wde.workflow).toBe('tiny');
    expect(wde.problems).toEqual([
      "track 'main': the initial state names unknown state 'start'",
      "track 'main': transition #3 (to 'done') names no actor who may take it",
      "track 'main': timer 'hold' waits for setting 'holdFor', which is not defined",
    ]);
    expect(wde.message).toBe(
      "workflow 'tiny' is invalid:\n" +
        "  - track 'main': the initial state names unknown state 'start'\n" +
        "  - track 'main': transition #3 (to 'done') names no actor who may take it\n" +
        "  - track 'main': timer 'hold' waits for setting 'holdFor', which is not defined",
    );
  });
});
