// Sharing: make a permalink with results, open it in a fresh browser
// context with the model server unreachable and see the same numbers in the views as in the
// original; re-run live and get them again. Export PNG, SVG and JSON, re-import the JSON; a
// broken file or a hostile permalink shows a message and leaves the page usable. The model is the
// app's default, bundled in public/models.
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, firstExample, HUB_URL, test, guardedPage, guardedContext } from './fixtures';
import { SCHEMA_VERSION } from '../src/engine/result';

const EXAMPLE = firstExample();

/** views whose numbers are compared (text, aria summaries, tooltips under keyboard focus) */
const TEXT_VIEWS = ['phase-summary', 'token-strip', 'segment-chart', 'mrd-chart'];
const HEATMAPS = ['lens-heatmap', 'attention-heatmap', 'knockout-heatmap', 'relevance-heatmap'];

async function waitIdle(page: Page) {
  await expect(page.getByTestId('explore')).toHaveAttribute('data-stale', '0', { timeout: 180_000 });
  await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: 180_000 });
  for (const id of HEATMAPS) await expect(page.getByTestId(id)).toBeVisible({ timeout: 180_000 });
}

/**
 * Every number a reader sees: EM/F1, the text views, the heatmaps' summaries and their
 * tooltips at several cells reached with the keyboard.
 */
async function shownNumbers(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of ['em', 'f1']) out[id] = (await page.getByTestId(id).textContent()) ?? '';
  for (const id of TEXT_VIEWS) {
    const el = page.getByTestId(id);
    if (await el.count()) out[id] = ((await el.first().getAttribute('aria-label')) ?? '') + ' | ' + ((await el.first().innerText()) ?? '');
  }
  for (const id of HEATMAPS) {
    const el = page.getByTestId(id).first();
    out[`${id}:summary`] = (await el.getAttribute('aria-label')) ?? '';
    await el.focus();
    const tip = el.locator('.tooltip');
    // walk: start cell, then up the layers, then left along the tokens
    const keys = ['', 'ArrowUp', 'ArrowUp', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowDown'];
    for (let k = 0; k < keys.length; k++) {
      if (keys[k]) await el.press(keys[k]);
      out[`${id}:tip${k}`] = (await tip.isVisible()) ? ((await tip.textContent()) ?? '') : '';
    }
    await el.blur();
  }
  return out;
}

async function openShare(page: Page) {
  const toggle = page.getByTestId('share-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

async function blockModelServers(context: BrowserContext) {
  // the hub server and the bundled model folder are unreachable; the app itself is served
  await context.route(`${HUB_URL}/**`, (r) => r.abort('connectionrefused'));
  await context.route('**/models/**', (r) => (r.request().url().endsWith('/models/index.json') ? r.continue() : r.abort('connectionrefused')));
}

test.describe.serial('sharing: permalinks with results, export, import', () => {
  test.skip(({ backend }) => backend !== 'wasm', 'the UI flow is backend-independent');
  let page: Page;
  let original: Record<string, string>;
  let link = '';
  let jsonPath = '';

  test.beforeAll(async ({ browser }) => {
    page = await guardedPage(browser);
  });
  test.afterAll(async () => {
    await page?.context().close();
  });

  test('make a permalink with results and export SVG, PNG, JSON', async ({ backend }, testInfo) => {
    const params = new URLSearchParams({ backend, cl: 'ar', ql: 'en', ex: EXAMPLE });
    await page.goto(`/?${params}`);
    await waitIdle(page);
    original = await shownNumbers(page);
    expect(Object.values(original).join(' ')).toMatch(/\d/);

    await openShare(page);
    await page.getByTestId('share-copy-results').click();
    const out = page.getByTestId('share-link-output');
    await expect(out).toHaveAttribute('data-kind', 'results');
    await expect(out).toHaveAttribute('data-too-large', '0');
    link = await out.inputValue();
    expect(link).toMatch(/#r=1\.[A-Za-z0-9_-]+$/);
    expect(link.length).toBeLessThanOrEqual(32 * 1024);
    await expect(page.getByTestId('share-size')).toContainText(/KB of at most 32\.0 KB/);

    // JSON
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    jsonPath = testInfo.outputPath(json.suggestedFilename());
    await json.saveAs(jsonPath);
    expect(json.suggestedFilename()).toMatch(/^xlens_.*\.json$/);
    const saved = JSON.parse(readFileSync(jsonPath, 'utf8'));
    expect(saved).toMatchObject({ schemaVersion: SCHEMA_VERSION, kind: 'analysis' });

    // CSV
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csvPath = testInfo.outputPath(csv.suggestedFilename());
    await csv.saveAs(csvPath);
    expect(readFileSync(csvPath, 'utf8')).toMatch(/^\uFEFFsection,layer,position,token/);

    // SVG and PNG of the first view offered
    const svgButton = page.locator('[data-testid^="export-svg-"]').first();
    const name = (await svgButton.getAttribute('data-testid'))!.slice('export-svg-'.length);
    const [svg] = await Promise.all([page.waitForEvent('download'), svgButton.click()]);
    const svgPath = testInfo.outputPath(svg.suggestedFilename());
    await svg.saveAs(svgPath);
    const svgText = readFileSync(svgPath, 'utf8');
    expect(svgText.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(svgText).toMatch(/<svg[^>]*width="\d+(\.\d+)?"[^>]*/);
    expect(svgText).toContain('font-family=');
    expect(svgText).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-png-${name}`).click()]);
    const pngPath = testInfo.outputPath(png.suggestedFilename());
    await png.saveAs(pngPath);
    const bytes = readFileSync(pngPath);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // 2x: the PNG is twice the SVG's width
    const svgWidth = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svgText)![1]);
    expect(bytes.readUInt32BE(16)).toBe(Math.round(svgWidth * 2));
    await expect(page.getByTestId('share-error')).toHaveCount(0);
  });

  test('open it in a fresh context with the model server unreachable: same numbers; re-run live: same again', async ({ browser }) => {
    const context = await guardedContext(browser);
    await blockModelServers(context);
    const modelRequests: string[] = [];
    context.on('request', (r) => {
      if (/\.safetensors|config\.json|tokenizer\.json/.test(r.url())) modelRequests.push(r.url());
    });
    const p2 = await context.newPage();
    await p2.goto(link);
    await expect(p2.getByTestId('recorded-banner')).toBeVisible();
    await expect(p2.getByTestId('recorded-text')).toContainText(/Recorded with model .+ on backend WASM/);
    await waitIdle(p2);
    expect(await shownNumbers(p2)).toEqual(original);
    expect(modelRequests.filter((u) => !u.includes('/models/index.json'))).toEqual([]);

    // the model server comes back: re-run live
    await context.unrouteAll({ behavior: 'ignoreErrors' });
    await p2.getByTestId('recorded-rerun').click();
    await expect(p2.getByTestId('recorded-banner')).toHaveCount(0, { timeout: 180_000 });
    await waitIdle(p2);
    expect(await shownNumbers(p2)).toEqual(original);
    await context.close();
  });

  test('re-import the JSON; a broken file shows what was wrong', async ({ browser }, testInfo) => {
    const context = await guardedContext(browser);
    await blockModelServers(context);
    const p3 = await context.newPage();
    await p3.goto(`/?${new URLSearchParams({ ko: '0', rel: '0' })}`);
    await openShare(p3);
    const broken = testInfo.outputPath('broken.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(broken, readFileSync(jsonPath, 'utf8').slice(0, 2000));
    await p3.getByTestId('import-json').setInputFiles(broken);
    await expect(p3.getByTestId('import-errors')).toBeVisible();
    await expect(p3.getByTestId('import-errors')).toContainText(/not valid JSON/);
    await p3.getByTestId('import-json').setInputFiles(jsonPath);
    await expect(p3.getByTestId('import-errors')).toHaveCount(0);
    // an imported result is shown read-only like a recorded one, without loading the model
    await expect(p3.getByTestId('recorded-banner')).toBeVisible();
    await waitIdle(p3);
    expect(await shownNumbers(p3)).toEqual(original);
    await context.close();
  });

  test('a tampered or hostile permalink shows a message and the default page', async ({ browser }) => {
    const context = await guardedContext(browser);
    const p4 = await context.newPage();
    const dialogs: string[] = [];
    p4.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const cut = link.slice(0, link.length - 200);
    const hostile = `/?cl=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&model=javascript:alert(1)#r=1.${'A'.repeat(50)}`;
    for (const url of [cut, hostile]) {
      await p4.goto(url);
      await expect(p4.getByRole('alert').first()).toBeVisible();
      await expect(p4.getByTestId('recorded-banner')).toHaveCount(0);
      // still usable: the controls answer
      await expect(p4.getByLabel('Context language')).toBeEnabled();
    }
    expect(dialogs).toEqual([]);
    expect(await p4.locator('img[src="x"]').count()).toBe(0);
    await context.close();
  });
});
