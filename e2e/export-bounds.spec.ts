// Exported figures go on slides and into papers: every view's SVG export (Explore, Compare side
// by side and B − A, the pair matrix) keeps all of its text inside the canvas, and the MRD
// chart's labels stay off its lines. On screen, at the narrow widths a laptop split screen or
// the lesson gives (574 px), no chart text is cut off either.
import type { Page } from '@playwright/test';
import { expect, HUB_URL, test } from './fixtures';

const RESULT_TIMEOUT = 5 * 60_000;

interface Box {
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

async function openShare(page: Page) {
  const toggle = page.getByTestId('share-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/** every SVG the share menu offers, downloaded as a user would */
async function downloadSVGs(page: Page): Promise<Record<string, string>> {
  await openShare(page);
  const buttons = page.locator('[data-testid^="export-svg-"]');
  await expect(buttons.first()).toBeVisible();
  const out: Record<string, string> = {};
  for (const b of await buttons.all()) {
    const name = (await b.getAttribute('data-testid'))!.slice('export-svg-'.length);
    const [d] = await Promise.all([page.waitForEvent('download'), b.click()]);
    const path = await d.path();
    out[name] = (await import('node:fs')).readFileSync(path!, 'utf8');
  }
  await page.getByTestId('share-toggle').click();
  return out;
}

/** render one SVG document alone and measure its text (after transforms), in SVG pixels */
async function measure(page: Page, svg: string): Promise<{ width: number; height: number; texts: Box[]; lines: { x: number; y: number }[][] }> {
  const doc = await page.context().newPage();
  await doc.setContent(`<!doctype html><html><body style="margin:0">${svg.replace(/^<\?xml[^>]*>\s*/, '')}</body></html>`);
  const r = await doc.evaluate(() => {
    const root = document.querySelector('svg')!;
    const rb = root.getBoundingClientRect();
    const texts = [...root.querySelectorAll('text')]
      .filter((t) => (t.textContent ?? '').trim() !== '')
      .map((t) => {
        const b = t.getBoundingClientRect();
        return { text: t.textContent ?? '', x: b.x - rb.x, y: b.y - rb.y, w: b.width, h: b.height };
      });
    // the MRD chart's lines, sampled along their length
    const lines = [...root.querySelectorAll('.mrd-series path')].map((p) => {
      const path = p as SVGPathElement;
      const n = path.getTotalLength();
      const pts: { x: number; y: number }[] = [];
      for (let s = 0; s <= n; s += 2) {
        const q = path.getPointAtLength(s);
        pts.push({ x: q.x, y: q.y });
      }
      return pts;
    });
    return { width: rb.width, height: rb.height, texts, lines };
  });
  await doc.close();
  return r;
}

function outside(m: { width: number; height: number; texts: Box[] }): string[] {
  const eps = 0.5;
  return m.texts.filter((t) => t.x < -eps || t.y < -eps || t.x + t.w > m.width + eps || t.y + t.h > m.height + eps).map((t) => `"${t.text}" at x ${t.x.toFixed(0)}..${(t.x + t.w).toFixed(0)}, y ${t.y.toFixed(0)}..${(t.y + t.h).toFixed(0)} in ${m.width}×${m.height}`);
}

async function expectInside(page: Page, svgs: Record<string, string>) {
  const problems: string[] = [];
  for (const [name, svg] of Object.entries(svgs)) {
    const m = await measure(page, svg);
    expect(m.texts.length, `${name} has text`).toBeGreaterThan(0);
    for (const p of outside(m)) problems.push(`${name}: ${p}`);
    if (name.startsWith('mrd')) {
      // labels in the chart's colours never sit on a line
      const hits: string[] = [];
      for (const t of m.texts) {
        for (const line of m.lines) if (line.some((q) => q.x >= t.x && q.x <= t.x + t.w && q.y >= t.y && q.y <= t.y + t.h)) hits.push(t.text);
      }
      for (const h of hits) problems.push(`${name}: "${h}" sits on a line`);
    }
  }
  expect(problems).toEqual([]);
}

/** text of the charts on screen that is cut off by its chart's own box */
async function clippedOnScreen(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const chart of document.querySelectorAll('.xv-heatmap, .xv-chart, .xv-matrix')) {
      const cb = chart.getBoundingClientRect();
      if (!cb.width) continue;
      for (const t of chart.querySelectorAll('svg text')) {
        if (!(t.textContent ?? '').trim()) continue;
        const b = t.getBoundingClientRect();
        if (!b.width) continue;
        if (b.left < cb.left - 0.5 || b.right > cb.right + 0.5 || b.top < cb.top - 0.5 || b.bottom > cb.bottom + 0.5) {
          out.push(`${(chart as HTMLElement).dataset.testid ?? chart.className}: "${t.textContent}" ${Math.round(b.left - cb.left)}..${Math.round(b.right - cb.left)} of ${Math.round(cb.width)}`);
        }
      }
    }
    return out;
  });
}

test.use({ actionTimeout: 60_000 });
test.describe('exported and drawn figures keep their text inside', () => {
  test.skip(({ backend }) => backend !== 'wasm', 'layout is backend-independent');

  test('Explore, Compare (side by side and B − A) and the pair matrix, exported as SVG', async ({ page, backend }) => {
    test.setTimeout(3 * RESULT_TIMEOUT);
    await page.setViewportSize({ width: 1440, height: 900 });
    // Arabic context, Chinese question: right-to-left and CJK labels
    await page.goto(`/?${new URLSearchParams({ hub: HUB_URL, backend, cl: 'ar', ql: 'zh' })}`);
    await expect(page.getByTestId('explore')).toHaveAttribute('data-stale', '0', { timeout: RESULT_TIMEOUT });
    await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: RESULT_TIMEOUT });
    await expect(page.getByTestId('mrd-chart')).toBeVisible();
    const explore = await downloadSVGs(page);
    expect(Object.keys(explore)).toEqual(expect.arrayContaining(['lens', 'attention', 'knockout', 'relevance', 'mrd-chart', 'segment-chart', 'token-strip']));
    await expectInside(page, explore);

    await page.getByTestId('tab-compare').click();
    await expect(page.getByTestId('compare-view')).toBeVisible({ timeout: RESULT_TIMEOUT });
    await expect(page.getByTestId('compare-progress')).toHaveCount(0, { timeout: RESULT_TIMEOUT });
    await expectInside(page, await downloadSVGs(page));
    await page.getByTestId('compare-diff').check();
    await expect(page.getByTestId('compare-view')).toHaveAttribute('data-diff', 'true');
    await expectInside(page, await downloadSVGs(page));

    await page.getByTestId('tab-matrix').click();
    await page.getByLabel('How many').fill('1');
    await page.getByTestId('matrix-run').click();
    await expect(page.getByTestId('pair-matrix')).toHaveAttribute('data-complete', 'true', { timeout: RESULT_TIMEOUT });
    expect(await clippedOnScreen(page)).toEqual([]);
    await expectInside(page, await downloadSVGs(page));
  });

  test('at 574 px, the compare view and the lesson cut no chart text', async ({ page, backend }) => {
    test.setTimeout(2 * RESULT_TIMEOUT);
    await page.setViewportSize({ width: 574, height: 900 });
    await page.goto(`/?${new URLSearchParams({ hub: HUB_URL, backend, tab: 'compare', cl: 'ar', ql: 'en' })}`);
    await expect(page.getByTestId('compare-view')).toBeVisible({ timeout: RESULT_TIMEOUT });
    await expect(page.getByTestId('compare-progress')).toHaveCount(0, { timeout: RESULT_TIMEOUT });
    expect(await clippedOnScreen(page)).toEqual([]);
    await page.getByTestId('compare-diff').check();
    await expect(page.getByTestId('compare-view')).toHaveAttribute('data-diff', 'true');
    expect(await clippedOnScreen(page)).toEqual([]);
    // the lesson's step 3 puts the comparison beside its text
    await page.getByTestId('start-lesson').click();
    await page.getByTestId('lesson-goto-2').click();
    await expect(page.getByTestId('compare-view')).toBeVisible({ timeout: RESULT_TIMEOUT });
    await expect(page.getByTestId('compare-progress')).toHaveCount(0, { timeout: RESULT_TIMEOUT });
    expect(await clippedOnScreen(page)).toEqual([]);
  });
});
