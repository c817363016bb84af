import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
import { renderHtml } from '../../reporters/html.js';
import { INJECTED_SCRIPT } from '../fixtures/reporting/outcomes.js';
import { runFixtureSuite, type FixtureRun } from './fixture-run.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('report.html in headless Chromium', () => {
  let run: FixtureRun;
  let browser: Browser;
  let page: Page;
  let fileUrl: string;
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    // Never a silent skip: the report's behaviour is only proven in a real browser.
    if (!existsSync(CHROMIUM))
      throw new Error(
        `Chromium is missing at ${CHROMIUM}: install Debian's chromium (apt-get update && apt-get install -y chromium) to run the HTML report tests`,
      );
    run = await runFixtureSuite();
    fileUrl = pathToFileURL(join(run.dir, 'report.html')).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    // Anything but the file itself is a failure, and is not let through.
    await context.route('**/*', (route) => (route.request().url() === fileUrl ? route.continue() : route.abort()));
    page = await context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(fileUrl, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  test('loads without errors and without any request but the file itself', async () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([fileUrl]);
    expect(await page.locator('.banner .verdict').textContent()).toContain('Violations');
    mkdirSync(join(PACKAGE_ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(PACKAGE_ROOT, 'test-artifacts', 'report.png') });
  });

  test('is one file: no external stylesheet, script, font or image', async () => {
    const html = run.files['report.html'];
    expect(html).not.toMatch(/<[a-z]+\s[^>]*\b(src|href)="(?!#)|@import|url\(|@font-face/i);
    expect(await page.locator('link, img, iframe, object, embed, script[src]').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
  });

  test('the matrix shows every operation × check, inapplicable cells as such', async () => {
    const rows = page.locator('table.matrix tbody tr');
    expect(await rows.count()).toBe(3); // two operations and the webhook group
    const cells = (cls: string) => page.locator(`table.matrix td.${cls}`).count();
    expect(await cells('s-passed')).toBe(run.report.totals.passed);
    expect(await cells('s-failed')).toBe(run.report.totals.failed);
    expect(await cells('s-error')).toBe(run.report.totals.errors);
    expect(await cells('s-skipped')).toBe(run.report.totals.skipped);
    expect(await cells('s-na')).toBe(3 * 7 - run.report.totals.checks);
    expect(await page.locator('#op-1 .chip.undocumented').textContent()).toContain('418');
    expect(await page.locator('#op-1 .chip.unseen').allTextContents()).toEqual(['400', '403', '404']);
    expect(await page.locator('#coverage .missing').allTextContents()).toEqual(['DESC', 'INTRADAYNONE']);
  });

  test('a failure expands on a click and shows its Received/Expected text, pointers, exchange and curl line', async () => {
    const finding = page.locator('details.finding', { hasText: '/data/1/total_value is not a decimal string' });
    const rendered = finding.locator('pre.rendered');
    expect(await rendered.isVisible()).toBe(false);
    await finding.locator('summary').click();
    expect(await rendered.isVisible()).toBe(true);
    const text = await rendered.textContent();
    expect(text).toContain('Received: 12.5 (a number) at /data/1/total_value');
    expect(text).toContain('Expected: a string matching ^-?\\d+(\\.\\d+)?$');
    expect(await finding.locator('.facts').textContent()).toContain('#/properties/data/items/properties/total_value/pattern');
    expect(await finding.locator('.exchange').textContent()).toContain('{"data":[{},{"total_value":12.5}]}');
    expect(await finding.locator('pre.curl').textContent()).toMatch(/^curl -sS -X GET /);
  });

  test('the severity and check filters hide and show findings', async () => {
    const visible = () =>
      page
        .locator('details.finding:visible')
        .evaluateAll((els) => els.map((el) => `${(el as HTMLElement).dataset.kind} ${(el as HTMLElement).dataset.check}`));
    expect(await visible()).toHaveLength(6); // 3 errors, 2 warnings, 1 baselined
    await page.selectOption('#filter-kind', 'warning');
    expect(await visible()).toEqual(['warning response-schema', 'warning response-schema']);
    await page.selectOption('#filter-kind', '');
    await page.selectOption('#filter-check', 'status-code');
    expect(await visible()).toEqual(['error status-code']);
    await page.selectOption('#filter-kind', 'baselined');
    expect(await visible()).toEqual([]);
    expect(await page.locator('#filter-count').textContent()).toBe('0 of 6 shown');
    await page.selectOption('#filter-check', '');
    await page.selectOption('#filter-kind', '');
    expect(await visible()).toHaveLength(6);
  });

  test('target-controlled markup is shown as text and never runs', async () => {
    const finding = page.locator('details.finding', { hasText: 'must match format "uuid"' });
    await finding.locator('summary').click();
    expect(await finding.locator('pre.rendered').textContent()).toContain(JSON.stringify(INJECTED_SCRIPT));
    expect(await finding.locator('.exchange').textContent()).toContain(INJECTED_SCRIPT.replace(/"/g, '\\"'));
    expect(await page.evaluate(() => (window as unknown as { __injected?: unknown }).__injected)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('img').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  test('printing shows every finding expanded and no filters', async () => {
    await page.selectOption('#filter-kind', 'warning');
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.locator('.toolbar').isVisible()).toBe(false);
      expect(await page.locator('details.finding:visible').count()).toBe(6);
      expect(await page.locator('pre.rendered:visible').count()).toBe(6);
    } finally {
      await page.emulateMedia({ media: 'screen' });
      await page.selectOption('#filter-kind', '');
    }
  });

  test('the escaping check can fail: an unescaped report would run the planted script', async () => {
    // A control for the test above: the same page with escaping removed does run it.
    const unsafe = renderHtml(run.report).replace(
      /&lt;script&gt;window.__injected = &#39;script&#39;&lt;\/script&gt;/,
      INJECTED_SCRIPT.slice(0, INJECTED_SCRIPT.indexOf('<img')),
    );
    const file = join(run.dir, 'unsafe.html');
    writeFileSync(file, unsafe.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''));
    const other = await browser.newPage();
    await other.goto(pathToFileURL(file).href);
    expect(await other.evaluate(() => (window as unknown as { __injected?: unknown }).__injected)).toBe('script');
    await other.close();
  });
});
