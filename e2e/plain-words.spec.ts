// Words for users, not developers: the model by its name (not the address it is served from) in
// the run info and the comparison; an over-wide knockout window is cut to the model's depth and
// the page says so; examples are named in the question language; custom text that is still an
// example's follows a change of language, and text in another script than its label says is
// pointed out.
import { expect, HUB_URL, test } from './fixtures';

const RESULT_TIMEOUT = 3 * 60_000;

test.use({ actionTimeout: 60_000 });
test.describe('plain words', () => {
  test.skip(({ backend }) => backend !== 'wasm', 'the UI flow is backend-independent');

  test('model names, the knockout window, example labels and custom text across a language change', async ({ page, backend }) => {
    test.setTimeout(2 * RESULT_TIMEOUT);
    await page.goto(`/?${new URLSearchParams({ hub: HUB_URL, backend, cl: 'ar', ql: 'zh', win: '99' })}`);
    await expect(page.getByTestId('explore')).toHaveAttribute('data-stale', '0', { timeout: RESULT_TIMEOUT });
    await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: RESULT_TIMEOUT });

    // the model by name
    await expect(page.getByTestId('model-id')).toContainText(/^xlens-tiny-instruct /);
    await expect(page.getByTestId('model-id')).not.toContainText('http');

    // window 99 on a 4-layer model: cut to 4, and said so
    await expect(page.getByTestId('window-note')).toHaveText(/This model has 4 layers, so a window of 99 is cut to 4\./);
    await expect(page.getByTestId('knockout-heatmap')).toHaveAttribute('aria-label', /.+/);
    await expect(page.locator('[data-panel="knockout"] svg text.hm-title').first()).toContainText('window 4');

    // examples named by their question in the question language (Chinese here)
    const picker = page.getByLabel('Example', { exact: true });
    const first = picker.locator('option').first();
    await expect(first).toHaveAttribute('lang', 'zh');
    expect(await first.textContent()).toMatch(/\p{Script=Han}/u);
    await page.getByLabel('Question language', { exact: true }).selectOption('en');
    await expect(picker.locator('option').first()).toHaveAttribute('lang', 'en');
    expect(await picker.locator('option').first().textContent()).toMatch(/^[A-Z][a-z]/);

    // custom text started from the example follows the context language...
    await picker.selectOption({ label: 'Custom text…' });
    const ctx = page.getByTestId('custom-context');
    expect(await ctx.inputValue()).toMatch(/\p{Script=Arabic}/u);
    await page.getByLabel('Context language', { exact: true }).selectOption('de');
    await expect(page.locator('label', { hasText: 'Context — German' })).toBeVisible();
    expect(await ctx.inputValue()).not.toMatch(/\p{Script=Arabic}/u);
    await expect(page.getByTestId('context-script')).toHaveCount(0);
    // ...while the user's own text stays, and a script that does not fit its label is pointed out
    await ctx.fill('米拉住在河内。');
    await page.getByTestId('custom-answer').fill('河内');
    await expect(page.getByTestId('context-script')).toContainText('is written in Chinese (Han) script, but the context language is German');
    await page.getByLabel('Context language', { exact: true }).selectOption('zh');
    await expect(ctx).toHaveValue('米拉住在河内。');
    await expect(page.getByTestId('context-script')).toHaveCount(0);

    // the comparison names both models
    await page.getByTestId('tab-compare').click();
    await expect(page.getByTestId('compare-view')).toBeVisible({ timeout: RESULT_TIMEOUT });
    await expect(page.getByTestId('compare-view').locator('p.xv-side').first()).toContainText(/A: xlens-tiny-base .*B: xlens-tiny-instruct/);
    await expect(page.getByTestId('compare-view')).not.toContainText('http');
  });
});
