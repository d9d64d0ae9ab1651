// A script without a font is noticed and named once, with what to install. The truth comes from
// fontconfig (which Chromium on Linux asks for fallback fonts): a script fc-list has no font for
// must be in the page's notice, and a script it has a font for must not be.
import { execFileSync } from 'node:child_process';
import { expect, test } from './fixtures';

/** fontconfig's language tag for each script's test (zh-cn: Simplified Chinese) */
const FC_LANG: Record<string, string> = { Latn: 'en', Grek: 'el', Cyrl: 'ru', Arab: 'ar', Deva: 'hi', Thai: 'th', Hans: 'zh-cn' };
const PACKAGE: Record<string, string> = { Latn: 'fonts-noto-core', Grek: 'fonts-noto-core', Cyrl: 'fonts-noto-core', Arab: 'fonts-noto-core', Deva: 'fonts-noto-core', Thai: 'fonts-noto-core', Hans: 'fonts-noto-cjk' };

function fontconfigMissing(): string[] | null {
  try {
    return Object.keys(FC_LANG).filter((s) => execFileSync('fc-list', [`:lang=${FC_LANG[s]}`, 'family'], { encoding: 'utf8' }).trim() === '');
  } catch {
    return null;
  }
}

test.describe('fonts', () => {
  test.skip(({ backend }) => backend !== 'wasm', 'font fallback is backend-independent');
  const missing = fontconfigMissing();
  test.skip(missing === null, 'fc-list (fontconfig) is not available to say which fonts are installed');

  test('a script without a font is named once, with the package to install; dismissed, it stays away', async ({ page }) => {
    await page.goto('/?ko=0&rel=0');
    await expect(page.getByTestId('model')).toBeVisible();
    const notice = page.getByTestId('font-notice');
    if (!missing!.length) {
      // give the check its moment, then there must be nothing to say
      await page.waitForTimeout(1500);
      await expect(notice).toHaveCount(0);
      return;
    }
    await expect(notice).toHaveCount(1);
    await expect(notice).toHaveAttribute('data-missing', missing!.join(','));
    for (const s of missing!) await expect(notice).toContainText(PACKAGE[s]);
    await expect(notice).toContainText('shows as empty boxes');
    await page.getByTestId('font-notice-dismiss').click();
    await expect(notice).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId('model')).toBeVisible();
    await page.waitForTimeout(1500);
    await expect(notice).toHaveCount(0);
  });
});
