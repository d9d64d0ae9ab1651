// Issues 7 and 8: fp16 weights and fp16 projections on WebGPU where the adapter has shader-f16
// (docs/weights.md). This machine's WebGPU (SwiftShader, --enable-unsafe-webgpu) has no shader-f16, so
// these specs check what a user sees on such an adapter: the fp16 option disabled with the reason,
// and ?weights=fp16 saying why and running fp32 on WebGPU. The fp16 kernels themselves are not run
// in a browser here (graph/fp16.test.ts runs them through onnxruntime-node's WebGPU EP when that finds
// an adapter with shader-f16).
import type { Page } from '@playwright/test';
import { expect, HUB_URL, test } from './fixtures';

test.use({ actionTimeout: 60_000 });
test.describe.configure({ mode: 'serial' });

const MODEL = 'xlens-fixtures/llama-tied-fp32';
const SHORT = { ctx: 'Maria lives in Lisbon.', q: 'Where does Maria live?', ans: 'Lisbon', gen: '8' };

async function open(page: Page, extra: Record<string, string>) {
  const params = new URLSearchParams({ hub: HUB_URL, model: MODEL, ko: '0', rel: '0', debug: '1', ...SHORT, ...extra });
  await page.goto(`/?${params}`);
}

async function waitIdle(page: Page) {
  await expect(page.getByTestId('explore')).toHaveAttribute('data-stale', '0', { timeout: 8 * 60_000 });
  await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: 8 * 60_000 });
}

interface DebugWindow {
  __xlensDebug?: { lastAnalysis?: { backend: string; model: { weights?: string }; lens: { targetProb: number[][] } } };
}
const lastAnalysis = (page: Page) => page.evaluate(() => (window as unknown as DebugWindow).__xlensDebug?.lastAnalysis ?? null);

const fp16Option = (page: Page) => page.getByTestId('weights').locator('option[value="fp16"]');

test.describe('fp16 weights on a WebGPU adapter without shader-f16', () => {
  test.skip(({ backend }) => backend !== 'webgpu', 'needs the WebGPU adapter');

  test('this adapter has no shader-f16 (what the rest of this file relies on)', async ({ page }) => {
    await page.goto('/');
    const features = await page.evaluate(async () => {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ features: Iterable<string> } | null> } }).gpu;
      const adapter = await gpu?.requestAdapter();
      return adapter ? [...adapter.features] : null;
    });
    expect(features).not.toBeNull();
    expect(features).not.toContain('shader-f16');
  });

  test('the fp16 option is disabled and says why', async ({ page }) => {
    await open(page, { backend: 'auto' });
    await expect(fp16Option(page)).toBeDisabled();
    await expect(fp16Option(page)).toHaveText('fp16 (unavailable: no shader-f16)');
    await expect(fp16Option(page)).toHaveAttribute('title', 'fp16 weights need the WebGPU feature shader-f16, which this adapter lacks');
    await expect(page.getByTestId('weights')).toHaveValue('auto');
    await expect(page.getByTestId('weights-unavailable')).toHaveCount(0);
    // choosing WASM gives the other reason
    await page.getByTestId('backend').selectOption('wasm');
    await expect(fp16Option(page)).toHaveText('fp16 (unavailable: WebGPU only)');
    await page.getByTestId('backend').selectOption('webgpu');
    await expect(fp16Option(page)).toHaveText('fp16 (unavailable: no shader-f16)');
  });

  test('?weights=fp16: the page says why, and the analysis runs with fp32 weights on WebGPU, as auto does', async ({ page }) => {
    await open(page, { backend: 'webgpu', weights: 'fp16' });
    await expect(page.getByTestId('weights')).toHaveValue('fp16');
    await expect(page.getByTestId('weights-unavailable')).toHaveText(
      'fp16 weights need the WebGPU feature shader-f16, which this adapter lacks; the weights load as auto picks them',
    );
    await waitIdle(page);
    await expect(page.getByTestId('error')).toHaveCount(0);
    await expect(page.getByTestId('backend-in-use')).toHaveAttribute('data-backend', 'webgpu');
    const inUse = page.getByTestId('weights-in-use');
    await expect(inUse).toHaveAttribute('data-weights', 'fp32');
    await expect(inUse).toHaveText('fp32 weights — fp16 weights need the WebGPU feature shader-f16, which this adapter lacks: running fp32 weights');
    await expect(page.getByTestId('fallback-reason')).toHaveCount(0);
    await expect(page.getByTestId('lens-heatmap')).toBeVisible();
    const asked = await lastAnalysis(page);
    expect([asked?.backend, asked?.model.weights]).toEqual(['webgpu', 'fp32']);

    // auto on this adapter: fp32 without a word about it, and the same numbers
    await page.getByTestId('weights').selectOption('auto');
    await expect(page.getByTestId('weights-in-use')).toHaveCount(0, { timeout: 60_000 });
    await waitIdle(page);
    const auto = await lastAnalysis(page);
    expect([auto?.backend, auto?.model.weights]).toEqual(['webgpu', 'fp32']);
    expect(auto?.lens.targetProb).toEqual(asked?.lens.targetProb);
  });
});

test.describe('fp16 weights with the WASM backend', () => {
  test.skip(({ backend }) => backend !== 'wasm', 'the WASM project');

  test('?weights=fp16&backend=wasm: fp16 runs on WebGPU only; fp32 runs, and the page says why', async ({ page }) => {
    await open(page, { backend: 'wasm', weights: 'fp16' });
    await expect(fp16Option(page)).toBeDisabled();
    await expect(fp16Option(page)).toHaveText('fp16 (unavailable: WebGPU only)');
    await waitIdle(page);
    await expect(page.getByTestId('error')).toHaveCount(0);
    await expect(page.getByTestId('backend-in-use')).toHaveAttribute('data-backend', 'wasm');
    await expect(page.getByTestId('weights-in-use')).toHaveText('fp32 weights — fp16 weights run on WebGPU only, and the backend is WASM: running fp32 weights');
    expect((await lastAnalysis(page))?.model.weights).toBe('fp32');
  });
});

test.describe('int8 weights on WebGPU', () => {
  test.skip(({ backend }) => backend !== 'webgpu', 'needs the WebGPU adapter');

  test('?weights=int8 on WebGPU: the analysis (knockout and relevance too) runs on WebGPU with int8 weights', async ({ page }) => {
    // onnxruntime's WebGPU EP has no MatMulInteger: there the int8 projections dequantise per consumer (docs/weights.md)
    await open(page, { backend: 'webgpu', weights: 'int8', ko: '1', rel: '1' });
    await waitIdle(page);
    await expect(page.getByTestId('error')).toHaveCount(0);
    await expect(page.getByTestId('backend-in-use')).toHaveAttribute('data-backend', 'webgpu');
    await expect(page.getByTestId('weights-in-use')).toHaveAttribute('data-weights', 'int8');
    const r = (await lastAnalysis(page)) as { backend: string; model: { weights?: string }; knockout?: unknown; relevance?: { relevance: number[][] } } | null;
    expect([r?.backend, r?.model.weights]).toEqual(['webgpu', 'int8']);
    expect(r?.knockout).toBeTruthy();
    expect(r?.relevance?.relevance.flat().every(Number.isFinite)).toBe(true);
  });
});
