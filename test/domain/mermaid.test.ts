import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../../src/domain/workflow/definition.js';
import { toMermaid } from '../../src/domain/workflow/mermaid.js';
import { standard } from '../../src/workflows/standard.js';

const single: WorkflowDefinition = {
  name: 'single',
  version: 2,
  label: 'Single track',
  description: '',
  settings: { holdFor: '10m' },
  tracks: [
    {
      id: 'order',
      label: 'Order',
      initial: 'Q',
      states: [
        { id: 'Q', label: 'Queued', code: 'Q', kind: 'temporary' },
        { id: 'new', label: 'New order', code: 'N', kind: 'permanent' },
        { id: 'done', label: 'Done', kind: 'terminal' },
      ],
      transitions: [
        { from: ['Q'], to: 'new', actors: ['customer', 'admin'] },
        { from: ['new'], to: 'done', actors: ['admin'] },
      ],
      reactions: [{ on: 'hold.expired', from: ['Q'], to: 'done' }],
      timers: [{ name: 'hold', state: 'Q', after: 'holdFor', fire: 'hold.expired' }],
    },
  ],
};

describe('toMermaid', () => {
  const out = toMermaid(standard);
  const lines = out.split('\n');

  it('starts with stateDiagram-v2 and names the workflow', () => {
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(lines[1]).toBe('  %% Ordo standard (standard v1)');
    expect(out.endsWith('\n')).toBe(true);
  });

  it('draws one composite state per track of a multi-track workflow', () => {
    expect(lines).toContain('  state "Order" as track_order {');
    expect(lines).toContain('  state "Payment" as track_payment {');
    expect(lines).toContain('  state "Fulfillment" as track_fulfillment {');
    expect(lines.filter((l) => l === '  }')).toHaveLength(3);
  });

  it('declares every state of every track', () => {
    for (const track of standard.tracks) {
      for (const s of track.states) expect(lines).toContain(`    ${track.id}_${s.id} : ${s.label}`);
    }
  });

  it('draws the initial arrow of each track and ends terminal states', () => {
    expect(lines).toContain('    [*] --> order_draft');
    expect(lines).toContain('    [*] --> payment_unpaid');
    expect(lines).toContain('    [*] --> fulfillment_unfulfilled');
    expect(lines).toContain('    order_completed --> [*]');
    expect(lines).toContain('    payment_refunded --> [*]');
  });

  it('labels edges with the actors who may take them and the events that trigger them', () => {
    expect(lines).toContain('    order_draft --> order_placed : customer, admin / on order.created');
    expect(lines).toContain('    order_placed --> order_cancelled : admin, system / customer / on order.cancelled / at the deposit deadline / on payment.refunded / at the payment deadline, else after paymentTimeout 72h');
    expect(lines).toContain('    order_draft --> order_cancelled : customer, admin, system / on order.cancelled / after basketTimeout 10m');
    expect(lines).toContain('    payment_unpaid --> payment_paid : gateway, system / admin / on payment.settled / on entered order.placed');
    expect(lines).toContain('    order_placed --> order_completed : admin, system / on entered payment.paid / on entered fulfillment.delivered');
    expect(lines).toContain('    fulfillment_shipped --> fulfillment_delivered : admin, system / on fulfillment.delivered');
  });

  it('draws a single-track workflow without a composite state, with codes and timers', () => {
    const text = toMermaid(single);
    expect(text).toBe(
      [
        'stateDiagram-v2',
        '  %% Single track (single v2)',
        '  order_Q : Queued',
        '  order_new : New order (N)',
        '  order_done : Done',
        '  [*] --> order_Q',
        '  order_Q --> order_new : customer, admin',
        '  order_new --> order_done : admin',
        '  order_Q --> order_done : after holdFor 10m',
        '  order_done --> [*]',
        '',
      ].join('\n'),
    );
  });
});
