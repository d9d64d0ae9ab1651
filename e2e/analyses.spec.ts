// On the bundled tiny post-trained model a knockout heatmap and a relevance heatmap appear with
// phase bands; a 3 × 3 pair matrix completes with progress shown (and a cell opens that pair in
// Explore); cancelling a matrix stops it and keeps its finished cells; the compare view shows the
// base and the post-trained model side by side.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, HUB_URL, test } from './fixtures';
import { LANGUAGES } from '../src/data/languages';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** the main model (B), the app's default; the compare model (A) is the bundled base model */
const MODEL_DIR = 'public/models/xlens-tiny-instruct';
const L: number = JSON.parse(readFileSync(join(ROOT, MODEL_DIR, 'config.json'), 'utf8')).num_hidden_layers;
const RESULT_TIMEOUT = 5 * 60_000;

test.use({ actionTimeout: 60_000 });
test.describe('knockout, relevance, pair matrix, compare', () => {
  test.skip(({ backend }) => backend !== 'wasm', 'UI flows; the engine numerics are checked per backend elsewhere');

  test('knockout and relevance heatmaps with phase bands', async ({ page, backend }, testInfo) => {
    test.setTimeout(RESULT_TIMEOUT + 60_000);
    const params = new URLSearchParams({ hub: HUB_URL, backend, cl: 'en', ql: 'de' });
    await page.goto(`/?${params}`);
    // the fast views first, then the sweeps
    await expect(page.getByTestId('lens-heatmap')).toBeVisible({ timeout: RESULT_TIMEOUT });
    const ko = page.getByTestId('knockout-heatmap');
    const rel = page.getByTestId('relevance-heatmap');
    await expect(ko).toHaveAttribute('data-rows', String(L), { timeout: RESULT_TIMEOUT });
    await expect(rel).toHaveAttribute('data-rows', String(L + 1), { timeout: RESULT_TIMEOUT });
    await expect(page.getByTestId('mrd-chart')).toBeVisible();
    await expect(page.getByTestId('phase-bands')).toBeVisible();
    expect(await page.getByTestId('phase-bands').locator('[data-band]').count()).toBeGreaterThan(0);
    await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: RESULT_TIMEOUT });
    await expect(page.getByRole('alert')).toHaveCount(0);
    const shot = testInfo.outputPath('analyses.png');
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach('analyses', { path: shot, contentType: 'image/png' });
  });

  test('a 3 × 3 pair matrix completes with progress shown; a cell opens the pair', async ({ page, backend }, testInfo) => {
    test.setTimeout(2 * RESULT_TIMEOUT);
    const params = new URLSearchParams({ hub: HUB_URL, backend, tab: 'matrix', ko: '0', rel: '0', mcl: 'ar,en,zh', mql: 'ar,en,zh' });
    await page.goto(`/?${params}`);
    await page.getByLabel('How many').fill('1');
    await page.getByTestId('matrix-run').click();
    await expect(page.getByTestId('matrix-progress')).toBeVisible({ timeout: RESULT_TIMEOUT });
    const matrix = page.getByTestId('pair-matrix');
    await expect(matrix).toHaveAttribute('data-complete', 'true', { timeout: 2 * RESULT_TIMEOUT - 60_000 });
    await expect(matrix).toHaveAttribute('data-rows', '3');
    await expect(matrix).toHaveAttribute('data-cols', '3');
    await expect(page.getByTestId('matrix-progress')).toHaveCount(0);
    await page.getByTestId('matrix-metric').selectOption('questionDepthStd');
    await expect(matrix).toBeVisible();
    // the Major Relevance Depths are computed (on by default) and shown, and fill the CSV
    await expect(page.getByTestId('matrix-mrd')).toBeChecked();
    await page.getByTestId('matrix-metric').selectOption('questionMrd');
    await expect(matrix.locator('g.pm-cell').first()).toContainText(/^\d+\.\d$/);
    await expect(matrix.locator('svg')).toContainText(/MRD:\s*question/);
    await page.getByTestId('share-toggle').click();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const rows = readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '').trim().split('\n').map((r) => r.split(','));
    const col = rows[0].indexOf('question_mrd');
    expect(col).toBeGreaterThan(0);
    expect(rows.length).toBe(1 + 9 + 1);
    for (const r of rows.slice(1)) expect(r[col], r.join(',')).toMatch(/^\d+(\.\d+)?$/);
    await page.getByTestId('share-toggle').click();
    const shot = testInfo.outputPath('matrix.png');
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach('matrix', { path: shot, contentType: 'image/png' });

    // scrolled down to the matrix, as a user is when clicking a cell
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
    await matrix.locator('g.pm-cell[data-context-lang="zh"][data-question-lang="ar"]').click();
    await expect(page.getByTestId('tab-explore')).toHaveAttribute('aria-selected', 'true');
    // Explore opens at its top: the tab bar at the top of the window, the tab focused
    const top = await page.evaluate(() => document.querySelector('[role="tablist"]')!.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(-2);
    expect(top).toBeLessThan(60);
    await expect(page.getByTestId('tab-explore')).toBeFocused();
    await expect(page.getByLabel('Context language', { exact: true })).toHaveValue('zh');
    await expect(page.getByLabel('Question language', { exact: true })).toHaveValue('ar');
  });

  test('cancelling a matrix keeps the finished cells', async ({ page, backend }) => {
    test.setTimeout(2 * RESULT_TIMEOUT);
    // all 144 pairs of 3 examples: far more work than the moment between the first cell and the click
    // (16 pairs of the tiny model finish within a second of their first cell)
    const langs = LANGUAGES.join(',');
    const params = new URLSearchParams({ hub: HUB_URL, backend, tab: 'matrix', ko: '0', rel: '0', mcl: langs, mql: langs });
    await page.goto(`/?${params}`);
    await page.getByLabel('How many').fill('3');
    await page.getByTestId('matrix-run').click();
    const matrix = page.getByTestId('pair-matrix');
    await expect(matrix.locator('g.pm-cell[data-computed="true"]').first()).toBeAttached({ timeout: RESULT_TIMEOUT });
    await page.getByTestId('matrix-status-cancel').click();
    // cancelled, not finished: a Cancel that did nothing would end in "done" with every cell computed
    await expect(page.getByTestId('matrix-status-status')).toHaveAttribute('data-status', 'cancelled', { timeout: 60_000 });
    await expect(matrix).toBeVisible();
    const computed = await matrix.locator('g.pm-cell[data-computed="true"]').count();
    expect(computed).toBeGreaterThan(0);
    expect(computed).toBeLessThan(LANGUAGES.length ** 2);
  });

  test('compare: base and post-trained side by side, and the difference', async ({ page, backend }, testInfo) => {
    test.setTimeout(2 * RESULT_TIMEOUT);
    const params = new URLSearchParams({ hub: HUB_URL, backend, tab: 'compare', cl: 'ar', ql: 'en', rel: '0' });
    await page.goto(`/?${params}`);
    const view = page.getByTestId('compare-view');
    await expect(view).toBeVisible({ timeout: 2 * RESULT_TIMEOUT - 60_000 });
    await expect(view).toContainText('xlens-tiny-base');
    await expect(view).toContainText('xlens-tiny-instruct');
    await expect(view.locator('[data-testid="lens-heatmap"], [data-kind="lens"]').first()).toBeVisible();
    await expect(page.getByTestId('compare-error')).toHaveCount(0);
    const shot = testInfo.outputPath('compare.png');
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach('compare', { path: shot, contentType: 'image/png' });
    await page.getByTestId('compare-diff').check();
    await expect(view).toHaveAttribute('data-diff', 'true');
    expect(page.url()).toContain('diff=1');
  });
});
