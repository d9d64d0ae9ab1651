// Re-running: the page keeps what it shows until the replacement arrives, and says what is
// shown and why. A re-run never swaps the knockout and relevance views for "running…"
// placeholders (the page would shrink and the scroll position jump); after input that cannot
// run, a failed model load or a cancelled load, the note over the previous result says so
// instead of claiming that something computes.
import type { Page } from '@playwright/test';
import { expect, HUB_URL, test } from './fixtures';

const RESULT_TIMEOUT = 3 * 60_000;

async function waitIdle(page: Page) {
  await expect(page.getByTestId('explore')).toHaveAttribute('data-stale', '0', { timeout: RESULT_TIMEOUT });
  await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: RESULT_TIMEOUT });
  await expect(page.getByTestId('knockout-heatmap')).toBeVisible();
  await expect(page.getByTestId('relevance-heatmap')).toBeVisible();
}

interface Sample {
  height: number;
  scrollY: number;
  knockout: boolean;
  relevance: boolean;
  pending: boolean;
  /** where the knockout view's panel is on screen */
  panelTop: number;
}

/** every animation frame from now on: page height, scroll position, which views are there */
async function startSampling(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __samples: Sample[]; __sampling: boolean };
    w.__samples = [];
    w.__sampling = true;
    const tick = () => {
      if (!w.__sampling) return;
      w.__samples.push({
        height: document.documentElement.scrollHeight,
        scrollY: window.scrollY,
        knockout: !!document.querySelector('[data-testid="knockout-heatmap"]'),
        relevance: !!document.querySelector('[data-testid="relevance-heatmap"]'),
        pending: !!document.querySelector('[data-testid="knockout-pending"], [data-testid="relevance-pending"]'),
        panelTop: Math.round(document.querySelector('[data-panel="knockout"]')?.getBoundingClientRect().top ?? NaN),
      });
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function stopSampling(page: Page): Promise<Sample[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __samples: Sample[]; __sampling: boolean };
    w.__sampling = false;
    return w.__samples;
  });
}

test.use({ actionTimeout: 60_000 });
test.describe('re-running keeps the page steady and says what it shows', () => {
  test.skip(({ backend }) => backend !== 'wasm', 'the UI flow is backend-independent');

  test('a re-run keeps the knockout and relevance views (dimmed) until the new ones arrive; no jump', async ({ page, backend }) => {
    test.setTimeout(2 * RESULT_TIMEOUT);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/?${new URLSearchParams({ hub: HUB_URL, backend, cl: 'en', ql: 'en' })}`);
    await waitIdle(page);
    for (const ql of ['de', 'zh']) {
      // change the question language, then read on at the knockout view as a user would
      await page.getByLabel('Question language', { exact: true }).selectOption(ql);
      await page.evaluate(() => document.querySelector('[data-panel="knockout"]')!.scrollIntoView({ block: 'start' }));
      const y0 = await page.evaluate(() => window.scrollY);
      expect(y0).toBeGreaterThan(500);
      await startSampling(page);
      await expect(page.getByTestId('explore')).toHaveAttribute('data-stale', '0', { timeout: RESULT_TIMEOUT });
      await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: RESULT_TIMEOUT });
      await expect(page.getByTestId('knockout-previous')).toHaveCount(0);
      const samples = await stopSampling(page);
      expect(samples.length).toBeGreaterThan(5);
      expect(samples.filter((s) => s.pending), 'frames with a "running…" placeholder').toEqual([]);
      expect(samples.filter((s) => !s.knockout || !s.relevance), 'frames without the knockout or relevance view').toEqual([]);
      // what the reader looks at stays put (the browser's scroll anchoring absorbs changes above)
      const tops = samples.map((s) => s.panelTop);
      expect(Math.max(...tops) - Math.min(...tops), 'the knockout view moved on screen').toBeLessThanOrEqual(2);
      await expect(page.getByTestId('question-lang')).toHaveValue(ql);
    }
  });

  test('after input that cannot run, a failed model load and a cancelled load, the page says what it shows and why', async ({ page, backend }) => {
    test.setTimeout(2 * RESULT_TIMEOUT);
    await page.goto(`/?${new URLSearchParams({ hub: HUB_URL, backend, cl: 'en', ql: 'en' })}`);
    await waitIdle(page);
    await expect(page.getByTestId('stale-note')).toHaveCount(0);

    // an answer that is not in the context: one message, under the answer
    await page.getByLabel('Example', { exact: true }).selectOption({ label: 'Custom text…' });
    await waitIdle(page);
    await page.getByTestId('custom-answer').fill('Atlantis');
    const note = page.getByTestId('stale-note');
    await expect(note).toContainText(/Showing the previous result \(xlens-tiny-instruct, English context, English question.*\): the input above cannot be analysed/);
    await expect(note).toHaveAttribute('data-computing', '0');
    await expect(page.getByTestId('answer-missing')).toHaveText('“\u2068Atlantis\u2069” does not occur in the context: the answer must be copied from the context exactly.');
    await expect(page.getByText(/does not occur in the context/)).toHaveCount(1);
    await expect(page.getByTestId('input-problem')).toHaveCount(0);
    // an empty question: said under the question
    await page.getByTestId('custom-answer').fill('');
    await page.getByTestId('custom-question').fill('');
    await expect(page.getByTestId('question-missing')).toHaveText('Write a question first.');
    await expect(note).toHaveAttribute('data-computing', '0');

    // a model that cannot be loaded: the note names the model of the result shown
    await page.getByLabel('Example', { exact: true }).selectOption({ index: 0 });
    await waitIdle(page);
    await page.getByTestId('model').selectOption('other');
    await page.getByTestId('model-repo').fill('xlens-fixtures/no-such-model');
    await page.getByRole('button', { name: 'Use' }).click();
    await expect(page.getByTestId('error')).toContainText(/not found/, { timeout: 60_000 });
    await expect(note).toContainText(/Showing the previous result \(xlens-tiny-instruct, .*\): the new analysis failed/);
    await expect(note).toHaveAttribute('data-computing', '0');
    await expect(page.getByTestId('rerun')).toBeVisible();
  });

  test('cancelling the first load says so, not "the analysis appears here…"', async ({ page, backend }) => {
    // hold the weights back so there is time to cancel
    await page.route('**/models/xlens-tiny-instruct/model.safetensors', async (r) => {
      await new Promise((ok) => setTimeout(ok, 5000));
      await r.continue().catch(() => {});
    });
    await page.goto(`/?${new URLSearchParams({ hub: HUB_URL, backend })}`);
    await expect(page.getByTestId('explore-empty')).toHaveText('The analysis appears here as soon as the model has answered.');
    await page.getByTestId('progress-cancel').click();
    await expect(page.getByTestId('explore-empty')).toHaveText(/cancelled.*Run again/);
    await expect(page.getByTestId('rerun')).toBeVisible();
  });
});
