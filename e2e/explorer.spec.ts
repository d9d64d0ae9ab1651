// On WASM and WebGPU: open the app, choose context Arabic and question Chinese on
// an example the tiny models answer, see the answer with EM/F1, the logit-lens heatmap (one
// row per layer incl. the embeddings, one column per token), the attention and segment views
// and a tooltip; swap the languages and see the views update without a reload; reload and
// see the same state. And the numbers the page shows equal `xlens analyze` in Node.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, firstExample, HUB_URL, test, guardedPage } from './fixtures';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** the app's default model, bundled in public/models */
const MODEL_DIR = 'public/models/xlens-tiny-instruct';
const L: number = JSON.parse(readFileSync(join(ROOT, MODEL_DIR, 'config.json'), 'utf8')).num_hidden_layers;

const EXAMPLE = firstExample();
/** lens probabilities and attention: same engine, same graph, onnxruntime-web vs onnxruntime-node */
const TOLERANCE = 1e-4;

interface Analysis {
  model: { numLayers: number };
  input: { contextLang: string; questionLang: string; exampleId: string | null };
  prompt: { tokens: { id: number }[] };
  generation: { answer: string; exactMatch: number; f1: number };
  lens: { targetProb: number[][]; targetRank: number[][] };
  attention: { lastRowMean: number[][] };
}

const lastAnalysis = (page: Page) =>
  page.evaluate(() => (window as unknown as { __xlensDebug?: { lastAnalysis?: unknown } }).__xlensDebug?.lastAnalysis ?? null) as Promise<Analysis | null>;

async function waitIdle(page: Page) {
  await expect(page.getByTestId('explore')).toHaveAttribute('data-stale', '0', { timeout: 120_000 });
  await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: 120_000 });
}

function maxAbsDiff(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  a.forEach((row, i) => {
    expect(row.length).toBe(b[i].length);
    row.forEach((x, j) => (m = Math.max(m, Math.abs(x - b[i][j]))));
  });
  return m;
}

test.use({ actionTimeout: 60_000 });

test.describe.serial('the explorer on WASM', () => {
  test.skip(({ backend }) => backend !== 'wasm', 'the UI flow is backend-independent; lens.spec covers WebGPU numerics');
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    page = await guardedPage(browser);
  });
  test.afterAll(async () => {
    await page?.context().close();
  });

  test('Arabic context, Chinese question: answer, lens grid, attention, segments, tooltip; swap; reload', async ({ backend }, testInfo) => {
    const params = new URLSearchParams({ hub: HUB_URL, backend, debug: '1', ko: '0', rel: '0' });
    await page.goto(`/?${params}`);
    await page.getByLabel('Context language', { exact: true }).selectOption('ar');
    await page.getByLabel('Question language', { exact: true }).selectOption('zh');
    await page.getByLabel('Example', { exact: true }).selectOption(EXAMPLE);
    await waitIdle(page);
    await expect(page.getByRole('alert')).toHaveCount(0);

    // the answer with EM and F1
    await expect(page.getByTestId('answer-view')).toBeVisible();
    await expect(page.getByTestId('em')).toHaveText(/EM [01]/);
    await expect(page.getByTestId('f1')).toHaveText(/F1 \d+%/);
    await expect(page.getByTestId('gold')).toHaveAttribute('lang', 'ar');
    await expect(page.getByTestId('gold')).toHaveAttribute('dir', 'rtl');

    const a = (await lastAnalysis(page))!;
    expect(a.input).toMatchObject({ contextLang: 'ar', questionLang: 'zh', exampleId: EXAMPLE });
    const T = a.prompt.tokens.length;

    // lens: one row per layer (L + 1 with the embeddings), one column per token
    const lens = page.getByTestId('lens-heatmap');
    await expect(lens).toBeVisible();
    await expect(lens).toHaveAttribute('data-rows', String(L + 1));
    await expect(lens).toHaveAttribute('data-cols', String(T));
    await expect(page.getByTestId('attention-heatmap')).toBeVisible();
    await expect(page.getByTestId('attention-heatmap')).toHaveAttribute('data-rows', String(L));
    await expect(page.getByTestId('segment-chart')).toBeVisible();
    await expect(page.getByTestId('token-strip')).toBeVisible();
    await expect(page.getByTestId('phase-summary')).toBeVisible();

    // tooltip on hover
    const box = (await lens.boundingBox())!;
    await lens.hover({ position: { x: Math.min(box.width - 4, 240), y: box.height * 0.45 } });
    await expect(lens.locator('.tooltip')).toBeVisible();
    await expect(lens.locator('.tooltip')).toContainText(/[Ll]ayer/);
    const shot = testInfo.outputPath('explorer-ar-zh.png');
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach('explorer-ar-zh', { path: shot, contentType: 'image/png' });

    // swap the languages: the views update, the page does not reload
    await page.evaluate(() => ((window as unknown as { __noReload: number }).__noReload = 1));
    await page.getByTestId('swap-langs').click();
    await expect(page.getByLabel('Context language', { exact: true })).toHaveValue('zh');
    await expect(page.getByLabel('Question language', { exact: true })).toHaveValue('ar');
    await expect.poll(async () => (await lastAnalysis(page))?.input.contextLang, { timeout: 120_000 }).toBe('zh');
    await waitIdle(page);
    const b = (await lastAnalysis(page))!;
    expect(b.input).toMatchObject({ contextLang: 'zh', questionLang: 'ar' });
    await expect(page.getByTestId('lens-heatmap')).toHaveAttribute('data-cols', String(b.prompt.tokens.length));
    await expect(page.getByTestId('gold')).toHaveAttribute('lang', 'zh');
    expect(await page.evaluate(() => (window as unknown as { __noReload?: number }).__noReload)).toBe(1);
    expect(page.url()).toContain('cl=zh');
    expect(page.url()).toContain('ql=ar');

    // reload: the same state
    await page.reload();
    await expect(page.getByLabel('Context language', { exact: true })).toHaveValue('zh');
    await expect(page.getByLabel('Question language', { exact: true })).toHaveValue('ar');
    await expect(page.getByLabel('Example', { exact: true })).toHaveValue(EXAMPLE);
    await waitIdle(page);
    const c = (await lastAnalysis(page))!;
    expect(c.input).toEqual(b.input);
    expect(c.generation.answer).toBe(b.generation.answer);
    await expect(page.getByTestId('lens-heatmap')).toHaveAttribute('data-rows', String(L + 1));
  });

  test("the numbers shown equal `xlens analyze` in Node", async ({ backend }, testInfo) => {
    const params = new URLSearchParams({ hub: HUB_URL, backend, debug: '1', ko: '0', rel: '0', cl: 'ar', ql: 'zh', ex: EXAMPLE });
    await page.goto(`/?${params}`);
    await waitIdle(page);
    const web = (await lastAnalysis(page))!;
    const out = testInfo.outputPath('node-analyze.json');
    const fd = openSync(out, 'w');
    try {
      // stdout goes to a file: with a pipe, output written just before exit can be cut off
      const child = spawn('npm', ['run', '-s', 'xlens', '--', 'analyze', '--model', MODEL_DIR, '--context-lang', 'ar', '--question-lang', 'zh', '--example', EXAMPLE], {
        cwd: ROOT,
        stdio: ['ignore', fd, 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((ok) => child.on('close', ok));
      expect(code, stderr).toBe(0);
    } finally {
      closeSync(fd);
    }
    const node = JSON.parse(readFileSync(out, 'utf8')) as Analysis;
    expect(web.prompt.tokens.map((t) => t.id)).toEqual(node.prompt.tokens.map((t) => t.id));
    const lensErr = maxAbsDiff(web.lens.targetProb, node.lens.targetProb);
    const attErr = maxAbsDiff(web.attention.lastRowMean, node.attention.lastRowMean);
    console.log(`[${backend}] ${MODEL_DIR}: max |web - node| lens targetProb ${lensErr.toExponential(2)}, attention ${attErr.toExponential(2)}`);
    expect(lensErr).toBeLessThanOrEqual(TOLERANCE);
    expect(attErr).toBeLessThanOrEqual(TOLERANCE);
    expect(web.generation.answer).toBe(node.generation.answer);
    expect(web.generation.exactMatch).toBe(node.generation.exactMatch);
    // what the page shows is that result
    await expect(page.getByTestId('em')).toHaveText(`EM ${node.generation.exactMatch}`);
    await expect(page.getByTestId('f1')).toHaveText(`F1 ${(node.generation.f1 * 100).toFixed(0)}%`);
  });
});
