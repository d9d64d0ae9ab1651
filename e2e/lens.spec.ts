// The walking skeleton end to end: load a fixture model from the local hub server, run a
// prompt, see the logit-lens heatmap with one row per layer, on the project's backend; and
// the browser's logits equal the Node CLI's for the same token ids.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, HUB_URL, test, guardedPage } from './fixtures';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES_DIR = join(ROOT, 'fixtures', 'models');
/** the model the UI checks run on */
const MODEL = 'llama-tied-fp32';
/** every fixture checkpoint (one per family / storage variant): browser logits vs Node's */
const ALL_MODELS = readdirSync(FIXTURES_DIR)
  .filter((n) => existsSync(join(FIXTURES_DIR, n, 'config.json')))
  .sort();
const numLayers = (model: string): number => JSON.parse(readFileSync(join(FIXTURES_DIR, model, 'config.json'), 'utf8')).num_hidden_layers;
/** custom text (the app builds `Context: …\nQuestion: …\nAnswer:` from it) */
const PROMPT = { ctx: 'Maria lives in Lisbon. أحمد يعيش في القاهرة.', q: 'Where does Maria live?', ans: 'Lisbon' };
/** for fixtures with a short context (phi3's is 64 positions): still crosses its longrope switch at 8 */
const SHORT_PROMPT = { ctx: 'Maria lives in Lisbon.', q: 'Where?', ans: 'Lisbon' };
const maxPositions = (model: string): number => JSON.parse(readFileSync(join(FIXTURES_DIR, model, 'config.json'), 'utf8')).max_position_embeddings;
const promptFor = (model: string) => (maxPositions(model) < 128 ? SHORT_PROMPT : PROMPT);
/** max relative error of the browser's logits against Node's (same engine, same graph) */
const LOGITS_TOLERANCE = 1e-4;
/** software WebGPU is slow: loading + forward + a short answer can take minutes */
const RESULT_TIMEOUT = 8 * 60_000;

interface DebugRun {
  backend: string;
  inputIds: number[];
  T: number;
  V: number;
  d: number;
  logits: number[];
  hidden: number[][];
}

/** max |a - b| / max |b|: the relative error used for the reference checks */
function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / (den || 1);
}

async function nodeDump(model: string, ids: number[], outFile: string): Promise<{ logits: number[][]; hidden: number[][][] }> {
  // stdout goes to a file: with a pipe, output written just before process.exit() can be cut off.
  const fd = openSync(outFile, 'w');
  try {
    const child = spawn('npm', ['run', '-s', 'xlens', '--', 'dump', '--model', join('fixtures', 'models', model), '--ids', ids.join(',')], {
      cwd: ROOT,
      stdio: ['ignore', fd, 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (b) => (stderr += b));
    const code = await new Promise<number | null>((ok) => child.on('close', ok));
    if (code !== 0) throw new Error(`xlens dump exited with ${code}: ${stderr}`);
  } finally {
    closeSync(fd);
  }
  return JSON.parse(readFileSync(outFile, 'utf8'));
}

async function lastDebugRun(page: Page): Promise<DebugRun> {
  const run = await page.evaluate(() => (window as unknown as { __xlensDebug?: { lastRun?: DebugRun } }).__xlensDebug?.lastRun ?? null);
  expect(run, 'window.__xlensDebug.lastRun (needs ?debug=1)').not.toBeNull();
  return run as DebugRun;
}

/** Compares the page's last run with `xlens dump` on the same ids; returns the logits error. */
async function compareWithNode(model: string, backend: string, r: DebugRun, outFile: string): Promise<number> {
  expect(r.backend).toBe(backend);
  expect(r.inputIds.length).toBeGreaterThan(3);
  expect(r.logits.length).toBe(r.T * r.V);
  const ref = await nodeDump(model, r.inputIds, outFile);
  expect(ref.logits.length).toBe(r.T);
  expect(ref.logits[0].length).toBe(r.V);
  const hiddenErr = ref.hidden.map((h, l) => relError(r.hidden[l], h.flat()));
  const err = relError(r.logits, ref.logits.flat());
  console.log(
    `[${backend}] ${model}: rel error vs Node over ${r.T} tokens: logits ${err.toExponential(2)}; hidden ${hiddenErr.map((e) => e.toExponential(2)).join(' ')}`,
  );
  return err;
}

test.describe.serial(`logit lens on ${MODEL} from the local hub`, () => {
  let page: Page;
  const consoleErrors: string[] = [];
  const L = numLayers(MODEL);

  test.beforeAll(async ({ browser }) => {
    page = await guardedPage(browser);
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
  });

  test.afterAll(async () => {
    await page?.context().close();
  });

  test('runs a prompt and draws one heatmap row per layer', async ({ backend }, testInfo) => {
    test.setTimeout(RESULT_TIMEOUT + 60_000);
    // the analysis runs by itself on load (knockout and relevance off: this spec is about the forward pass)
    const params = new URLSearchParams({ hub: HUB_URL, model: `xlens-fixtures/${MODEL}`, backend, debug: '1', gen: '4', ko: '0', rel: '0', cl: 'en', ql: 'en', ...PROMPT });
    await page.goto(`/?${params}`);
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    await expect(page.getByTestId('custom-context')).toHaveValue(PROMPT.ctx);

    const heatmap = page.getByTestId('lens-heatmap');
    await expect(heatmap).toBeVisible({ timeout: RESULT_TIMEOUT });
    await expect(page.getByRole('alert')).toHaveCount(0);

    await expect(heatmap).toHaveAttribute('role', 'img');
    await expect(heatmap).toHaveAttribute('aria-label', /[Ll]ogit lens/);
    await expect(heatmap).toHaveAttribute('data-rows', String(L + 1));

    await expect(page.getByTestId('backend-in-use')).toHaveAttribute('data-backend', backend);
    await expect(page.getByTestId('fallback-reason')).toHaveCount(0);
    await expect(page.getByTestId('run-timings')).toContainText('forward');

    // Hover shows the tooltip for a cell.
    const box = (await heatmap.boundingBox())!;
    await heatmap.hover({ position: { x: Math.min(box.width - 4, 200), y: box.height * 0.3 } });
    await expect(heatmap.locator('.tooltip')).toContainText(/[Ll]ayer/);

    const shot = testInfo.outputPath(`lens-${backend}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach(`lens-${backend}`, { path: shot, contentType: 'image/png' });
    // onnxruntime prints its warnings ([W:onnxruntime:...]) on stderr, which lands in console.error.
    expect(consoleErrors.filter((e) => !/favicon|\[W:onnxruntime/i.test(e))).toEqual([]);
  });

  test("the browser's logits equal Node's for the same token ids", async ({ backend }, testInfo) => {
    const err = await compareWithNode(MODEL, backend, await lastDebugRun(page), testInfo.outputPath('node-dump.json'));
    expect(err).toBeLessThanOrEqual(LOGITS_TOLERANCE);
  });
});

test.describe("every fixture family: browser logits equal Node's", () => {
  for (const model of ALL_MODELS.filter((m) => m !== MODEL)) {
    test(model, async ({ page, backend }, testInfo) => {
      test.setTimeout(RESULT_TIMEOUT + 60_000);
      const params = new URLSearchParams({ hub: HUB_URL, model: `xlens-fixtures/${model}`, backend, debug: '1', gen: '1', ko: '0', rel: '0', cl: 'en', ql: 'en', ...promptFor(model) });
      await page.goto(`/?${params}`);
      const heatmap = page.getByTestId('lens-heatmap');
      await expect(heatmap).toBeVisible({ timeout: RESULT_TIMEOUT });
      await expect(page.getByRole('alert')).toHaveCount(0);
      await expect(heatmap).toHaveAttribute('data-rows', String(numLayers(model) + 1));
      await expect(page.getByTestId('backend-in-use')).toHaveAttribute('data-backend', backend);
      const err = await compareWithNode(model, backend, await lastDebugRun(page), testInfo.outputPath('node-dump.json'));
      expect(err).toBeLessThanOrEqual(LOGITS_TOLERANCE);
    });
  }
});

test.describe('clear messages, app stays usable', () => {
  test.skip(({ backend }) => backend !== 'wasm', 'no model runs here; once is enough');

  test('bad URL parameters are reported', async ({ page }) => {
    await page.goto('/?model=not..a/repo&backend=cuda&hub=ftp://example.org&cl=xx');
    const notice = page.getByTestId('url-notice');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('Ignored model=');
    await expect(notice).toContainText('Ignored backend=');
    await expect(notice).toContainText('Did not use the hub');
    await expect(notice).toContainText('Ignored cl=');
    // in words a user knows, not the page state's field names
    await expect(notice).toContainText('(context language)');
    await expect(notice).not.toContainText('contextLang');
    // the page still works: the controls are there with their defaults
    await expect(page.getByLabel('Context language', { exact: true })).toHaveValue('en');
    await expect(page.getByLabel('Backend')).toHaveValue('auto');
  });

  test('an invalid hub repo id typed by the user is an error, not a request', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Model', { exact: true }).selectOption('other');
    await page.getByLabel('Repo id').fill('no-slash-here');
    await page.getByRole('button', { name: 'Use' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'not a valid hub repo id' })).toBeVisible();
    await expect(page.getByLabel('Context language', { exact: true })).toBeEnabled();
  });

  test('a missing bundled model folder is a clear error', async ({ page }) => {
    await page.route('**/models/xlens-tiny-base/config.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto('/?model=xlens-tiny-base&ko=0&rel=0');
    await expect(page.getByTestId('error')).toContainText('The model folder "xlens-tiny-base" is missing');
    await expect(page.getByLabel('Model', { exact: true })).toBeEnabled();
  });

  test('an unknown hub repo is reported by the loader, and the page recovers', async ({ page }) => {
    const params = new URLSearchParams({ hub: HUB_URL, model: 'xlens-fixtures/does-not-exist', backend: 'wasm', ko: '0', rel: '0' });
    await page.goto(`/?${params}`);
    await expect(page.getByTestId('error')).toContainText('Could not load the model', { timeout: 60_000 });
    // choose a model that exists: the error goes and the analysis runs
    await page.getByLabel('Model', { exact: true }).selectOption('other');
    await page.getByLabel('Repo id').fill('xlens-fixtures/llama-tied-fp32');
    await page.getByRole('button', { name: 'Use' }).click();
    await expect(page.getByTestId('lens-heatmap')).toBeVisible({ timeout: RESULT_TIMEOUT });
    await expect(page.getByTestId('error')).toHaveCount(0);
  });
});
