// The guided lesson for teaching, walked end to end, offline (nothing
// outside the app's own origin is reachable; the tiny models are bundled under /models/):
// every step shows its text, "step n of N" and its views; Back and Next and the arrow keys
// (anywhere on the page, not while a list or text field has the focus) move between steps; the
// last step asks to run the matrix before it says "click a cell"; each step's permalink
// restores that step; Finish returns to the page from before the lesson, without its step.
import type { Page } from '@playwright/test';
import { APP_PORT, expect, test, guardedContext } from './fixtures';

const APP_ORIGIN = `http://127.0.0.1:${APP_PORT}`;

/** what each kind of step shows beside its text */
const VIEW_OF: Record<string, string> = { explore: 'lens-heatmap', compare: 'compare-view', matrix: 'matrix-run' };
/** step ids in order, with the tab whose views they show (src/state/lesson.ts) */
const STEPS: [string, string][] = [
  ['same-language', 'explore'],
  ['cross-language', 'explore'],
  ['base-vs-post-trained', 'compare'],
  ['question-encoding', 'explore'],
  ['answer-retrieval', 'explore'],
  ['all-pairs', 'matrix'],
];

async function expectStep(page: Page, i: number) {
  await expect(page.getByTestId('lesson-panel')).toHaveAttribute('data-step', String(i));
  await expect(page.getByTestId('lesson-step')).toHaveText(`Lesson · step ${i + 1} of ${STEPS.length}`);
  await expect(page.getByTestId('lesson-title')).not.toBeEmpty();
  await expect(page.getByTestId('lesson-body')).toContainText(/\w+.*\.\s.*\w/);
  await expect(page.getByTestId(VIEW_OF[STEPS[i][1]]).first()).toBeVisible({ timeout: 180_000 });
}

test.describe('the guided lesson, offline', () => {
  test.skip(({ backend }) => backend !== 'wasm', 'the UI flow is backend-independent');

  test('walk every step with Next, Back and the keyboard; each step has a working permalink', async ({ browser, backend }) => {
    const context = await guardedContext(browser);
    const outside: string[] = [];
    // offline: only the app's own server answers
    await context.route('**/*', (r) => {
      const url = r.request().url();
      if (url.startsWith(APP_ORIGIN) || url.startsWith('data:') || url.startsWith('blob:')) return r.continue();
      outside.push(url);
      return r.abort('internetdisconnected');
    });
    const page = await context.newPage();
    // the page before the lesson: German context, Greek question
    await page.goto(`/?backend=${backend}&cl=de&ql=el`);
    await expect(page.getByTestId('context-lang')).toHaveValue('de');
    await page.getByTestId('start-lesson').click();
    await expectStep(page, 0);
    await expect(page.getByTestId('lesson-prev')).toBeDisabled();

    const titles: string[] = [];
    for (let i = 0; i < STEPS.length; i++) {
      await expectStep(page, i);
      titles.push((await page.getByTestId('lesson-title').textContent()) ?? '');
      if (STEPS[i][1] === 'matrix') {
        // the last step: "click a cell" only once there is a matrix; run it on the tiny model
        await expect(page.getByTestId('lesson-action')).not.toContainText(/click a cell/i);
        await page.getByTestId('matrix-run').click();
        await expect(page.getByTestId('pair-matrix')).toBeVisible({ timeout: 300_000 });
        await expect(page.getByTestId('lesson-action')).toContainText(/click a cell/i);
      }
      if (i < STEPS.length - 1) await page.getByTestId('lesson-next').click();
    }
    expect(new Set(titles).size).toBe(STEPS.length);

    // Back, and the arrow keys anywhere on the page
    await page.getByTestId('lesson-prev').click();
    await expectStep(page, STEPS.length - 2);
    await page.locator('footer').click();
    await page.keyboard.press('ArrowLeft');
    await expectStep(page, STEPS.length - 3);
    await page.keyboard.press('ArrowRight');
    await expectStep(page, STEPS.length - 2);
    // ... but not while a list has the focus: there the arrows change its value
    await page.getByTestId('lens-metric').focus();
    await page.keyboard.press('ArrowRight');
    await expectStep(page, STEPS.length - 2);
    await page.locator('footer').click();

    // a step's permalink restores that step in a fresh page
    await page.getByTestId('lesson-goto-1').click();
    await expectStep(page, 1);
    const href = await page.getByTestId('lesson-permalink').getAttribute('href');
    expect(href).toBeTruthy();
    const page2 = await context.newPage();
    await page2.goto(href!);
    await expectStep(page2, 1);
    await expect(page2.getByTestId('lesson-title')).toHaveText(titles[1]);

    // Finish: the page from before the lesson, and no step in the address
    await page.getByTestId(`lesson-goto-${STEPS.length - 1}`).click();
    await expectStep(page, STEPS.length - 1);
    await page.getByTestId('lesson-next').click();
    await expect(page.getByTestId('tab-explore')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('lesson-panel')).toHaveCount(0);
    await expect(page.getByTestId('context-lang')).toHaveValue('de');
    await expect(page.getByTestId('question-lang')).toHaveValue('el');
    await expect.poll(() => new URL(page.url()).searchParams.has('step')).toBe(false);

    expect(outside).toEqual([]);
    await context.close();
  });
});
