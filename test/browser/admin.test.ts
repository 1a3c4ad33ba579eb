/**
 * The admin UI in headless Chromium against a real server (issue 13): sign in, filter the orders,
 * take a transition with a reason, capture then refund part, fulfil in two parcels, modify after
 * the preview, see the timeline change, and see a count on a workflow diagram change after an
 * order moves. A screenshot of each main page goes to test-results/.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startServer, type BrowserServer } from './support/server.js';

const SHOTS = path.resolve(import.meta.dirname, '../../test-results');
const run = process.env.ORDO_BROWSER_SUITE ? describe : describe.skip;

let server: BrowserServer;
let browser: Browser;
let page: Page;
const orders: Record<'authorized' | 'paid' | 'unpaid' | 'modify' | 'mover' | 'bulkPlaced' | 'bulkHeld', { id: string; code: string; paymentId?: string }> = {} as never;
const stamp = Date.now().toString(36);
const email = (who: string) => `${who}-${stamp}@example.com`;

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

async function seed() {
  const make = async (body: Record<string, unknown>) => {
    const res = await server.call('POST', '/v1/orders', { currency: 'EUR', shipping: { amount: 495 }, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { id: res.body.id as string, code: res.body.code as string, paymentId: res.body.payments[0]?.id as string | undefined };
  };
  const lines = [{ sku: 'TSHIRT-M', name: 'T-shirt', quantity: 2, unitPrice: 1999 }, { sku: 'MUG', name: 'Mug', quantity: 1, unitPrice: 1200 }];
  orders.authorized = await make({ customer: { email: email('ada'), name: 'Ada Authorized' }, lines, payment: { method: 'card', capture: false } });
  orders.paid = await make({ customer: { email: email('grace'), name: 'Grace Paid' }, lines, payment: { method: 'card' } });
  orders.unpaid = await make({ customer: { email: email('alan'), name: 'Alan Unpaid' }, lines });
  orders.modify = await make({ customer: { email: email('kath'), name: 'Kath Modify' }, lines });
  orders.mover = await make({ customer: { email: email('linus'), name: 'Linus Mover' }, lines });
  orders.bulkPlaced = await make({ customer: { email: email('bulk-hopper'), name: 'Bulk Hopper' }, lines });
  orders.bulkHeld = await make({ customer: { email: email('bulk-lamarr'), name: 'Bulk Lamarr' }, lines });
}

run('the admin UI in a browser', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startServer();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('refuses a storefront key in words, and signs in with an admin key', async () => {
    const storefront = await server.call('POST', '/v1/api-keys', { role: 'storefront', name: 'browser shop' });
    await page.goto(`${server.base}/admin/orders`);
    await page.waitForURL(/\/admin\/sign-in/);
    await page.getByLabel('Admin key').fill(storefront.body.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('This is not an admin key');
    expect(await page.getByTestId('error-code').textContent()).toContain('not_an_admin_key');
    await shot('sign-in');
    await page.getByLabel('Admin key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/orders/);
    expect(await page.evaluate('sessionStorage.getItem("ordo.adminKey")')).toBe(ADMIN_KEY);
    expect(await page.evaluate('localStorage.getItem("ordo.adminKey")')).toBeNull();
  });

  it('fills an empty store with demo orders from its button', async () => {
    await page.getByRole('button', { name: 'Fill with demo orders' }).click();
    await expect.poll(() => page.getByTestId('order-row').count(), { timeout: 60_000 }).toBeGreaterThan(10);
    await seed();
    await page.reload();
    await page.getByTestId('order-row').first().waitFor();
    await shot('orders');
  });

  it('filters the orders list, with the filters in the URL', async () => {
    await page.getByRole('searchbox').fill(email('ada'));
    await page.getByRole('searchbox').press('Enter');
    await expect.poll(() => page.url()).toMatch(/q=ada-/);
    await page.getByLabel('Workflow').selectOption('standard');
    await expect.poll(() => page.url()).toMatch(/workflow=standard/);
    await page.getByLabel('Payment').selectOption('authorized');
    await expect.poll(() => page.url()).toMatch(/status=payment(%3A|:)authorized/);
    await expect.poll(() => page.getByTestId('order-row').count()).toBe(1);
    expect(await page.getByTestId('order-link').textContent()).toBe(orders.authorized.code);
    // The URL alone gives the same list (a deep link, served by the server).
    await page.goto(`${server.base}/admin/orders?q=${encodeURIComponent(email('grace'))}`);
    await expect.poll(() => page.getByTestId('order-link').allTextContents()).toEqual([orders.paid.code]);
    expect(await page.getByRole('searchbox').inputValue()).toBe(email('grace'));
  });

  it('takes a transition with a reason, and the timeline shows it', async () => {
    await page.goto(`${server.base}/admin/orders/${orders.unpaid.id}`);
    await page.getByTestId('timeline-entry').first().waitFor();
    const before = await page.getByTestId('timeline-entry').count();
    await page.getByTestId('transition-order-in_review').click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByTestId('curl').count()).toBe(0);
    await dialog.getByLabel('Reason').fill('address does not match the card');
    expect(await dialog.getByTestId('curl').textContent()).toContain(`/v1/orders/${orders.unpaid.id}/transitions`);
    await dialog.getByRole('button', { name: 'Change status' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('order-status').textContent()).toContain('In review');
    await expect.poll(() => page.getByTestId('timeline-entry').count()).toBeGreaterThan(before);
    expect(await page.getByTestId('timeline').textContent()).toContain('address does not match the card');
    await shot('order');
  });

  it('captures part of a payment, then refunds part of it', async () => {
    await page.goto(`${server.base}/admin/orders/${orders.authorized.id}`);
    await page.getByTestId(`capture-${orders.authorized.paymentId}`).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('Amount').fill('30.00');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('captured').first().textContent()).toContain('30.00');
    await page.getByTestId('refund').click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Amount').fill('5.00');
    await dialog.getByLabel('Reason').fill('one mug arrived chipped');
    await dialog.getByRole('button', { name: 'Refund' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('refunds').textContent()).toContain('5.00');
    expect(await page.getByTestId('refunded').textContent()).toContain('5.00');
  });

  it('fulfils an order in two parcels', async () => {
    await page.goto(`${server.base}/admin/orders/${orders.paid.id}`);
    await page.getByTestId('create-parcel').click();
    let dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Select none' }).click();
    await dialog.getByTestId('parcel-qty-TSHIRT-M').fill('2');
    await dialog.getByLabel('Carrier').fill('DHL');
    await dialog.getByRole('button', { name: 'Create parcel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('parcel').count()).toBe(1);
    await page.getByTestId('create-parcel').click();
    dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Select all' }).click();
    await dialog.getByRole('button', { name: 'Create parcel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('parcel').count()).toBe(2);
    expect(await page.getByTestId('create-parcel').count()).toBe(0);
    await page.getByTestId('parcel-1-shipped').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => page.getByTestId('parcel-state').first().textContent()).toBe('shipped');
  });

  it('modifies an order after looking at the preview', async () => {
    await page.goto(`${server.base}/admin/orders/${orders.modify.id}`);
    const total = await page.getByTestId('total').textContent();
    await page.getByTestId('modify-toggle').click();
    await page.getByTestId('modify-qty-MUG').fill('3');
    await page.getByLabel('Amount (negative: discount)').fill('-3.00');
    await page.getByTestId('modify-preview').click();
    await expect.poll(() => page.getByTestId('modify-difference').textContent()).toContain('+€21.00');
    // Nothing changed yet: the preview is a dry run.
    expect(await page.getByTestId('total').textContent()).toBe(total);
    await page.getByTestId('modify-apply').click();
    await expect.poll(() => page.getByTestId('total').textContent()).not.toBe(total);
    await expect.poll(() => page.getByTestId('timeline').textContent()).toContain('Order modified');
  });

  it('shows a count on the workflow diagram change after an order moves', async () => {
    await page.goto(`${server.base}/admin/workflows?name=standard`);
    const count = page.getByTestId('node-standard-order-in_review-count');
    const orderCount = async () => Number((await count.textContent())?.match(/^(\d+) order/)?.[1] ?? NaN);
    await expect.poll(orderCount, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    const before = await orderCount();
    await shot('workflows');
    const moved = await server.call('POST', `/v1/orders/${orders.mover.id}/transitions`, { track: 'order', to: 'in_review', reason: 'a second look' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await expect.poll(orderCount, { timeout: 20_000 }).toBe(before + 1);
    // Clicking a status opens the orders list filtered to it.
    await page.getByTestId('node-standard-order-in_review').click();
    await expect.poll(() => page.url()).toMatch(/\/admin\/orders\?.*status=order(%3A|:)in_review/);
    await expect.poll(() => page.getByTestId('order-row').count()).toBe(before + 1);
  });

  it('changes several orders at once and reports the answer per order', async () => {
    const held = await server.call('POST', `/v1/orders/${orders.bulkHeld.id}/transitions`, { track: 'order', to: 'in_review', reason: 'held for the bulk test' });
    expect(held.status).toBe(200);
    await page.goto(`${server.base}/admin/orders?q=bulk-`);
    await expect.poll(() => page.getByTestId('order-row').count()).toBe(2);
    await page.getByLabel(`Select order ${orders.bulkPlaced.code}`).check();
    await page.getByLabel(`Select order ${orders.bulkHeld.code}`).check();
    // Offered: what the engine allows for at least one of them; accepting the review is only the held one's.
    await page.getByLabel('Move to').selectOption('order:placed');
    await page.getByLabel('Reason', { exact: true }).fill('reviewed in bulk');
    await page.getByRole('button', { name: 'Apply to each' }).click();
    const results = page.getByTestId('bulk-results');
    await expect.poll(() => results.locator('li').count()).toBe(2);
    expect(await results.textContent()).toContain(`${orders.bulkHeld.code}: changed`);
    expect(await results.textContent()).toMatch(new RegExp(`${orders.bulkPlaced.code}: refused — .*\\(transition_not_allowed\\)`));
    await shot('orders-bulk');
  });

  it('moves the test clock from an order, and the diagram marks the orders stuck since', async () => {
    await page.goto(`${server.base}/admin/orders/${orders.modify.id}`);
    await page.getByTestId('timers').waitFor();
    // The test clock stands still between advances: a day and an hour puts every order past the one-day threshold.
    await page.getByLabel('Seconds').fill('90000');
    await page.getByTestId('clock-advance').click();
    await expect.poll(() => page.getByText(/Test clock now .* timer\(s\) fired/).count()).toBe(1);
    await page.goto(`${server.base}/admin/workflows?name=standard`);
    const mark = page.getByTestId('node-standard-order-placed').getByLabel(/\d+ stuck/);
    await expect.poll(() => mark.count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('stuck-list').locator('li').count()).toBeGreaterThan(0);
    await shot('workflows-stuck');
  });

  it('shows inventory and API keys, and reads at a phone\'s width', async () => {
    await server.call('PUT', '/v1/inventory/TSHIRT-M', { onHand: 40, reason: 'delivery' });
    await page.goto(`${server.base}/admin/inventory?sku=TSHIRT-M`);
    await page.getByTestId('sku-row').first().waitFor();
    await shot('inventory');
    await page.goto(`${server.base}/admin/api-keys`);
    await page.getByTestId('key-row').first().waitFor();
    await shot('api-keys');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.base}/admin/orders/${orders.paid.id}`);
    await page.getByTestId('order-code').waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(1);
    await shot('order-phone');
  });
});
