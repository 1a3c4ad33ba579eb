/** The workflow pages in docs/workflows are generated from the definitions; this keeps them in step. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toMarkdown } from '../../src/domain/workflow/markdown.js';
import { presets } from '../../src/workflows/index.js';

describe('docs/workflows', () => {
  it.each([...presets.keys()])('docs/workflows/%s.md is what `ordo workflow show --markdown` prints (run npm run docs:workflows)', (name) => {
    const page = readFileSync(new URL(`../../docs/workflows/${name}.md`, import.meta.url), 'utf8');
    expect(page).toBe(toMarkdown(presets.get(name)!));
  });

  it('lists the statuses, who may take each transition, the timers and the inferred choices', () => {
    const page = toMarkdown(presets.get('nutickets')!);
    expect(page).toContain('```mermaid\nstateDiagram-v2');
    expect(page).toContain('| `awaiting_payment_link` | Awaiting payment link | temporary | reserve |');
    expect(page).toMatch(/\| `active` \| `awaiting_invoice` \| customer, admin \|/);
    expect(page).toContain("| `payment-link` | `awaiting_payment_link` | the order's `payment` deadline, else after `paymentLinkExpiry` (72h) |");
  });

  it('reads for merchants: the sources and inferred choices only in the last section, "Where this comes from"', () => {
    const page = toMarkdown(presets.get('nutickets')!);
    const [body, sources] = page.split('## Where this comes from\n');
    expect(body).not.toMatch(/inferred|Generated from/i);
    expect(body).toContain('| `depositPercent` | 25 | the share of the total a deposit takes |');
    expect(sources).toContain('Follows Nu Web Group\'s nuTickets order lifecycle page (seed 002).');
    expect(sources).toContain('- setting `depositPercent`: 25 %, the page gives no default');
  });
});
