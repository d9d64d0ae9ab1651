// The answer target on the page: with a Chinese or a Thai context (no spaces between words) the
// analysis follows a visible token of the answer, never a whitespace-only one, and the logit lens at
// the last position rises to it through the layers (the tiny post-trained model answers these).
import { expect, firstExample, test } from './fixtures';

interface Analysis {
  prompt: { tokens: { text: string }[]; target: { id: number; text: string } };
  lens: { targetProb: (number | null)[][]; topId: (number | null)[][] };
  generation?: { exactMatch: number };
}

test.describe('the answer target', () => {
  test.skip(({ backend }) => backend !== 'wasm', 'the target is chosen by the engine, the same on every backend');

  for (const cl of ['zh', 'th'] as const) {
    test(`context ${cl}: a visible target token, and the last position's lens rises to it`, async ({ page }) => {
      await page.goto(`/?${new URLSearchParams({ debug: '1', cl, ql: 'en', ex: firstExample(), ko: '0', rel: '0' })}`);
      await expect(page.getByTestId('explore')).toHaveAttribute('data-stale', '0', { timeout: 180_000 });
      await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: 180_000 });
      const r = (await page.evaluate(() => (window as unknown as { __xlensDebug?: { lastAnalysis?: unknown } }).__xlensDebug?.lastAnalysis ?? null)) as Analysis | null;
      expect(r).not.toBeNull();
      const { target } = r!.prompt;
      expect(target.text.trim().length, `target ${JSON.stringify(target.text)}`).toBeGreaterThan(0);
      // the page names it
      await expect(page.getByTestId('answer-view')).toContainText('target token');
      // at the last position: more probable after the last layer than at the embeddings, and the top guess there
      const T = r!.prompt.tokens.length;
      const p = r!.lens.targetProb.map((row) => row[T - 1]);
      const L = p.length - 1;
      expect(p.every((x) => x !== null)).toBe(true);
      expect(p[L]!).toBeGreaterThan(p[0]!);
      expect(p[L]!).toBeGreaterThan(0.5);
      expect(r!.lens.topId[L][T - 1]).toBe(target.id);
      expect(r!.generation?.exactMatch).toBe(1);
    });
  }
});
