// Phones and split windows: at 390 px no tab scrolls the page sideways (the controls shrink and
// wrap; a chart wider than the screen scrolls inside its own frame), and at 1024 px every chart's
// text stays inside its panel.
import type { Page } from '@playwright/test';
import { expect, HUB_URL, test } from './fixtures';

const RESULT_TIMEOUT = 5 * 60_000;

async function sideways(page: Page): Promise<{ scrollWidth: number; clientWidth: number; wide: string[] }> {
  return page.evaluate(() => {
    const cw = document.documentElement.clientWidth;
    // what sticks out, to say why when it fails
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => {
        const b = el.getBoundingClientRect();
        if (!b.width || b.right <= cw + 0.5) return false;
        for (let p = el.parentElement; p; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible' && p.getBoundingClientRect().right <= cw + 0.5) return false;
        return true;
      })
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${typeof el.className === 'string' ? el.className : ''}[${el.getAttribute('data-testid') ?? ''}]`);
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: cw, wide };
  });
}

async function expectNoSidewaysScroll(page: Page, where: string) {
  const s = await sideways(page);
  expect(s.wide, `${where}: elements past the right edge`).toEqual([]);
  expect(s.scrollWidth, `${where}: page width`).toBeLessThanOrEqual(s.clientWidth);
}

test.use({ actionTimeout: 60_000 });
test.describe('narrow screens', () => {
  test.skip(({ backend }) => backend !== 'wasm', 'layout is backend-independent');

  test('390 px: no tab scrolls sideways', async ({ page, backend }) => {
    test.setTimeout(3 * RESULT_TIMEOUT);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/?${new URLSearchParams({ hub: HUB_URL, backend, cl: 'ar', ql: 'zh' })}`);
    await expect(page.getByTestId('explore')).toHaveAttribute('data-stale', '0', { timeout: RESULT_TIMEOUT });
    await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: RESULT_TIMEOUT });
    await expect(page.getByTestId('relevance-heatmap')).toBeVisible();
    await expectNoSidewaysScroll(page, 'explore');

    await page.getByTestId('share-toggle').click();
    await expect(page.locator('#share-panel')).toBeVisible();
    await expectNoSidewaysScroll(page, 'share menu');
    const panel = (await page.locator('#share-panel').boundingBox())!;
    expect(panel.x).toBeGreaterThanOrEqual(0);
    await page.getByTestId('share-toggle').click();

    await page.getByLabel('Example', { exact: true }).selectOption({ label: 'Custom text…' });
    await expect(page.getByTestId('custom-context')).toBeVisible();
    await expectNoSidewaysScroll(page, 'custom text');

    await page.getByTestId('tab-compare').click();
    await expect(page.getByTestId('compare-view')).toBeVisible({ timeout: RESULT_TIMEOUT });
    await expectNoSidewaysScroll(page, 'compare');

    await page.getByTestId('tab-matrix').click();
    await page.getByLabel('How many').fill('1');
    await page.getByTestId('matrix-run').click();
    await expect(page.getByTestId('pair-matrix')).toHaveAttribute('data-complete', 'true', { timeout: RESULT_TIMEOUT });
    await expectNoSidewaysScroll(page, 'language pairs');

    await page.getByTestId('start-lesson').click();
    await expect(page.getByTestId('lesson-panel')).toBeVisible();
    await expect(page.getByTestId('lens-heatmap')).toBeVisible({ timeout: RESULT_TIMEOUT });
    await expectNoSidewaysScroll(page, 'lesson');
  });

  test('1024 px: chart text stays inside its panel', async ({ page, backend }) => {
    test.setTimeout(RESULT_TIMEOUT + 60_000);
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.goto(`/?${new URLSearchParams({ hub: HUB_URL, backend, cl: 'ar', ql: 'zh' })}`);
    await expect(page.getByTestId('explore')).toHaveAttribute('data-stale', '0', { timeout: RESULT_TIMEOUT });
    await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: RESULT_TIMEOUT });
    await expect(page.getByTestId('mrd-chart')).toBeVisible();
    const outside = await page.evaluate(() => {
      const out: string[] = [];
      for (const panel of document.querySelectorAll('.panel')) {
        const pb = panel.getBoundingClientRect();
        for (const t of panel.querySelectorAll('svg text')) {
          const b = t.getBoundingClientRect();
          if (b.width && b.right > pb.right + 0.5) out.push(`${(panel as HTMLElement).dataset.panel}: "${t.textContent}" ends ${Math.round(b.right - pb.right)} px past the panel`);
        }
      }
      return out;
    });
    expect(outside).toEqual([]);
  });
});
