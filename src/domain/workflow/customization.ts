/**
 * What a merchant changes in a shipped workflow for its own deployment: its settings (a
 * basket timeout, a deposit share), new names for statuses, and, where the workflow allows
 * it (X-Cart), statuses of its own. The preset stays as shipped; the workflow an order runs
 * under is the preset with these applied (`customize`), at the customization's revision.
 */
import type { ActorKind } from '../actor.js';
import { parseDuration } from '../duration.js';
import { accept, reject, type Result } from '../result.js';
import type { SettingValue, StateDefinition, TransitionDefinition, WorkflowDefinition } from './definition.js';

export interface CustomStatus {
  readonly track: string;
  readonly id: string;
  readonly label: string;
}

export interface WorkflowCustomization {
  /** Bumped on every change; 0 is the preset as shipped. */
  readonly revision: number;
  /** Settings that differ from the preset's defaults. */
  readonly settings: Readonly<Record<string, SettingValue>>;
  /** New names for the preset's own statuses: track -> state id -> label. */
  readonly labels: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly statuses: readonly CustomStatus[];
}

export const AS_SHIPPED: WorkflowCustomization = { revision: 0, settings: {}, labels: {}, statuses: [] };

const CUSTOM_ACTORS: readonly ActorKind[] = ['admin'];

/** The workflow an order runs under: the preset with the merchant's changes. */
export function customize(preset: WorkflowDefinition, c: WorkflowCustomization): WorkflowDefinition {
  if (c.revision === 0) return preset;
  return {
    ...preset,
    revision: c.revision,
    settings: { ...preset.settings, ...c.settings },
    tracks: preset.tracks.map((t) => {
      const labels = c.labels[t.id] ?? {};
      const own = c.statuses.filter((s) => s.track === t.id);
      return {
        ...t,
        states: [
          ...t.states.map((s) => (labels[s.id] === undefined ? s : { ...s, label: labels[s.id]! })),
          ...own.map((s): StateDefinition => ({ id: s.id, label: s.label, kind: 'permanent', stock: 'none', custom: true, description: "The merchant's own status: set by hand, moves no stock." })),
        ],
        // No transition rules: an admin sets it from any status, and leaves it the way the preset lets an admin leave any status.
        transitions: [...t.transitions, ...own.map((s): TransitionDefinition => ({ from: '*', to: s.id, actors: CUSTOM_ACTORS }))],
      };
    }),
  };
}

/**
 * Changes settings: each value must have the default's type (a duration stays a duration,
 * a share stays within 0..100); null puts the default back.
 */
export function changeSettings(preset: WorkflowDefinition, c: WorkflowCustomization, changes: Readonly<Record<string, SettingValue | null>>): Result<WorkflowCustomization> {
  const settings: Record<string, SettingValue> = { ...c.settings };
  for (const [name, value] of Object.entries(changes)) {
    const shipped = Object.hasOwn(preset.settings, name) ? preset.settings[name] : undefined;
    if (shipped === undefined) {
      return reject('unknown_setting', `workflow '${preset.name}' has no setting '${name}'`, { setting: name, settings: Object.keys(preset.settings) });
    }
    if (value === null) {
      delete settings[name];
      continue;
    }
    const wrong = settingProblem(name, shipped, value);
    if (wrong) return reject('invalid_setting', `setting '${name}' ${wrong}`, { setting: name, value });
    if (value === shipped) delete settings[name];
    else settings[name] = value;
  }
  return accept({ ...c, revision: c.revision + 1, settings });
}

function settingProblem(name: string, shipped: SettingValue, value: SettingValue): string | undefined {
  if (typeof shipped === 'string' && parseDuration(shipped) !== undefined) {
    const seconds = typeof value === 'string' ? parseDuration(value) : undefined;
    return seconds !== undefined && seconds > 0 && seconds <= MAX_DURATION ? undefined : `is a duration such as '90s', '10m', '72h' or '6d', above zero and at most ${MAX_DURATION / 86_400}d`;
  }
  if (typeof shipped !== typeof value) return `takes a ${typeof shipped}, not a ${typeof value}`;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) return 'takes a whole number, zero or more';
    if (name.endsWith('Percent') && value > 100) return 'is a percentage, from 0 to 100';
  }
  return undefined;
}

/** Ten years: longer than any timer a shop means, short enough that every due time stays a valid date. */
const MAX_DURATION = 3650 * 86_400;

const STATUS_ID = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const MAX_LABEL = 64;

/**
 * Names a status: a new name for one of the preset's own (its id stays), a new name for one
 * of the merchant's, or a new status of the merchant's own where the workflow allows them.
 */
export function nameStatus(preset: WorkflowDefinition, c: WorkflowCustomization, trackId: string, id: string, label: string): Result<WorkflowCustomization> {
  const track = preset.tracks.find((t) => t.id === trackId);
  if (!track) return reject('unknown_track', `workflow '${preset.name}' has no track '${trackId}'`, { track: trackId });
  const name = label.trim();
  if (name === '' || name.length > MAX_LABEL) return reject('validation_failed', `a status name is 1 to ${MAX_LABEL} characters`, { label });
  const next = { ...c, revision: c.revision + 1 };
  const own = track.states.find((s) => s.id === id);
  if (own) {
    const { [id]: _old, ...others } = c.labels[trackId] ?? {};
    const labels = name === own.label ? others : { ...others, [id]: name };
    return accept({ ...next, labels: { ...c.labels, [trackId]: labels } });
  }
  if (c.statuses.some((s) => s.track === trackId && s.id === id)) {
    return accept({ ...next, statuses: c.statuses.map((s) => (s.track === trackId && s.id === id ? { ...s, label: name } : s)) });
  }
  if (!preset.customStatuses) return reject('custom_statuses_not_allowed', `workflow '${preset.name}' has no statuses of the merchant's own; its statuses may only be renamed`, { workflow: preset.name });
  if (!STATUS_ID.test(id)) return reject('validation_failed', 'a status id is a letter then up to 31 letters, digits or _', { status: id });
  // `q` next to `Q` is a typo far more often than a status of its own.
  const lookalike = [...track.states, ...c.statuses.filter((s) => s.track === trackId)].find((s) => s.id.toLowerCase() === id.toLowerCase());
  if (lookalike) return reject('validation_failed', `'${id}' differs from the status '${lookalike.id}' only in case; to rename it, use '${lookalike.id}'`, { status: id, existing: lookalike.id });
  return accept({ ...next, statuses: [...c.statuses, { track: trackId, id, label: name }] });
}

/** Removes one of the merchant's own statuses; the preset's own may be renamed but not removed. */
export function removeStatus(preset: WorkflowDefinition, c: WorkflowCustomization, trackId: string, id: string): Result<WorkflowCustomization> {
  const track = preset.tracks.find((t) => t.id === trackId);
  if (!track) return reject('status_not_found', `workflow '${preset.name}' has no track '${trackId}'`, { track: trackId });
  if (track.states.some((s) => s.id === id)) return reject('system_status', `'${id}' is one of the workflow's own statuses: it may be renamed, not removed`, { track: trackId, status: id });
  if (!c.statuses.some((s) => s.track === trackId && s.id === id)) return reject('status_not_found', `track '${trackId}' has no status '${id}' of the merchant's own`, { track: trackId, status: id });
  return accept({ ...c, revision: c.revision + 1, statuses: c.statuses.filter((s) => !(s.track === trackId && s.id === id)) });
}
