import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { AS_SHIPPED, changeSettings, customize, nameStatus, removeStatus, type WorkflowCustomization } from '../../src/domain/workflow/customization.js';
import { nextStatuses, stateOf, takeTransition, trackOf } from '../../src/domain/workflow/interpret.js';
import { validateWorkflow } from '../../src/domain/workflow/validate.js';
import type { Result } from '../../src/domain/result.js';
import { nutickets } from '../../src/workflows/nutickets.js';
import { standard } from '../../src/workflows/standard.js';
import { xcart } from '../../src/workflows/xcart.js';
import { NOW } from './fixtures.js';

const admin: Actor = { kind: 'admin', id: 'key-admin' };

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

describe('changeSettings', () => {
  it('overrides a default, counts a revision, and puts the default back on null', () => {
    const c = ok(changeSettings(nutickets, AS_SHIPPED, { basketTimeout: '20m', depositPercent: 40 }));
    expect(c).toMatchObject({ revision: 1, settings: { basketTimeout: '20m', depositPercent: 40 } });
    expect(customize(nutickets, c).settings).toMatchObject({ basketTimeout: '20m', depositPercent: 40, paymentLinkExpiry: '72h' });
    const back = ok(changeSettings(nutickets, c, { basketTimeout: null }));
    expect(back).toMatchObject({ revision: 2, settings: { depositPercent: 40 } });
    expect(customize(nutickets, back).settings.basketTimeout).toBe('10m');
  });

  it('keeps no override equal to the default', () => {
    expect(ok(changeSettings(nutickets, AS_SHIPPED, { basketTimeout: '10m' })).settings).toEqual({});
  });

  it.each([
    [{ basketTimeout: '10 minutes' }, 'invalid_setting'],
    [{ basketTimeout: '0m' }, 'invalid_setting'],
    [{ basketTimeout: 600 }, 'invalid_setting'],
    [{ depositPercent: 101 }, 'invalid_setting'],
    [{ depositPercent: 2.5 }, 'invalid_setting'],
    [{ depositMinimumTotal: -1 }, 'invalid_setting'],
    [{ customerCancellation: 'yes' }, 'invalid_setting'],
    [{ basketTimeout: '3651d' }, 'invalid_setting'],
    [{ basketTimeout: '999999999d' }, 'invalid_setting'],
    [{ colour: 'blue' }, 'unknown_setting'],
    [{ constructor: '1d' }, 'unknown_setting'],
    [{ toString: null }, 'unknown_setting'],
  ])('refuses %j with %s', (changes, code) => {
    expect(changeSettings(nutickets, AS_SHIPPED, changes)).toMatchObject({ ok: false, code });
  });
});

describe('nameStatus and removeStatus', () => {
  it("renames a shipped status: its id stays, its name changes, renaming it back drops the change", () => {
    const c = ok(nameStatus(xcart, AS_SHIPPED, 'payment', 'Q', 'Waiting for transfer'));
    const wf = customize(xcart, c);
    expect(stateOf(trackOf(wf, 'payment')!, 'Q')).toMatchObject({ id: 'Q', code: 'Q', label: 'Waiting for transfer', stock: 'reserve' });
    expect(ok(nameStatus(xcart, c, 'payment', 'Q', 'Awaiting payment')).labels).toEqual({ payment: {} });
  });

  it('adds a status of the merchant\'s own that an admin sets from any status and leaves to any status; it moves no stock', () => {
    const c = ok(nameStatus(xcart, AS_SHIPPED, 'fulfilment', 'QC', 'Quality check'));
    const wf = customize(xcart, c);
    expect(validateWorkflow(wf)).toEqual([]);
    expect(stateOf(trackOf(wf, 'fulfilment')!, 'QC')).toMatchObject({ label: 'Quality check', kind: 'permanent', stock: 'none', custom: true });
    const order = { status: { payment: 'P', fulfilment: 'P' } } as never;
    expect(nextStatuses(wf, order, admin).fulfilment).toContain('QC');
    expect(nextStatuses(wf, order, { kind: 'customer', customerId: 'c' }).fulfilment).not.toContain('QC');
    const inQc = { status: { payment: 'P', fulfilment: 'QC' } } as never;
    expect(nextStatuses(wf, inQc, admin).fulfilment).toEqual(expect.arrayContaining(['N', 'P', 'S', 'D']));
    // Only the merchant's hand moves it: no gateway or reaction route leads there.
    expect(takeTransition(wf, order, { track: 'fulfilment', to: 'QC' }, { kind: 'gateway', id: 'g' }, NOW)).toMatchObject({ ok: false, code: 'transition_forbidden_for_actor' });
  });

  it('renames a status of the merchant\'s own in place', () => {
    const c = ok(nameStatus(xcart, ok(nameStatus(xcart, AS_SHIPPED, 'payment', 'W', 'Wire')), 'payment', 'W', 'Bank wire'));
    expect(c.statuses).toEqual([{ track: 'payment', id: 'W', label: 'Bank wire' }]);
  });

  it('refuses statuses of its own where the workflow has none, bad ids, empty names and unknown tracks', () => {
    expect(nameStatus(standard, AS_SHIPPED, 'order', 'onhold', 'On hold')).toMatchObject({ ok: false, code: 'custom_statuses_not_allowed' });
    expect(ok(nameStatus(standard, AS_SHIPPED, 'order', 'placed', 'Received')).labels).toEqual({ order: { placed: 'Received' } });
    expect(nameStatus(xcart, AS_SHIPPED, 'payment', '9x', 'Nine')).toMatchObject({ ok: false, code: 'validation_failed' });
    // A lower-case `q` is a typo for `Q`, not a new status.
    expect(nameStatus(xcart, AS_SHIPPED, 'payment', 'q', 'Awaiting transfer')).toMatchObject({ ok: false, code: 'validation_failed', details: { existing: 'Q' } });
    expect(nameStatus(xcart, ok(nameStatus(xcart, AS_SHIPPED, 'payment', 'Wire', 'Wire')), 'payment', 'WIRE', 'Wire 2')).toMatchObject({ ok: false, code: 'validation_failed' });
    expect(nameStatus(xcart, AS_SHIPPED, 'payment', 'W', '   ')).toMatchObject({ ok: false, code: 'validation_failed' });
    expect(nameStatus(xcart, AS_SHIPPED, 'shipping', 'W', 'Wire')).toMatchObject({ ok: false, code: 'unknown_track' });
  });

  it('removes a status of the merchant\'s own, never a shipped one', () => {
    const c: WorkflowCustomization = ok(nameStatus(xcart, AS_SHIPPED, 'payment', 'W', 'Wire'));
    expect(ok(removeStatus(xcart, c, 'payment', 'W'))).toMatchObject({ revision: 2, statuses: [] });
    expect(removeStatus(xcart, c, 'payment', 'Q')).toMatchObject({ ok: false, code: 'system_status' });
    expect(removeStatus(xcart, c, 'payment', 'X')).toMatchObject({ ok: false, code: 'status_not_found' });
    expect(removeStatus(xcart, c, 'shipping', 'W')).toMatchObject({ ok: false, code: 'status_not_found' });
  });
});
