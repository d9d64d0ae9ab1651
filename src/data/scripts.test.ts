// Every script of the 12 languages has a sample, a font and a Debian package, and the README
// tells a user which package to install for each.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGE_LIST } from './languages';
import { dominantScript, SCRIPTS } from './scripts';

describe('scripts', () => {
  it('cover every language, with samples of their own script', () => {
    for (const l of LANGUAGE_LIST) expect(SCRIPTS[l.script].langs).toContain(l.code);
    for (const s of Object.values(SCRIPTS)) {
      for (const ch of s.sample) expect(dominantScript(ch), `${s.code} ${ch}`).toBe(s.code);
      expect(s.fonts.length).toBeGreaterThan(0);
      expect(s.packages[0]).toMatch(/^fonts-/);
    }
  });

  it('tell the script of a text by most of its letters', () => {
    expect(dominantScript('米拉住在河内 (Hanoi)。')).toBe('Hans');
    expect(dominantScript('Ivan wohnt in Moskau.')).toBe('Latn');
    expect(dominantScript('يعيش إيفان في موسكو')).toBe('Arab');
    expect(dominantScript('1234 ?!')).toBeNull();
  });

  it('the README lists the fonts and Debian packages of every script', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const s of Object.values(SCRIPTS)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| ${s.name} |`));
      expect(row, s.name).toBeDefined();
      for (const l of s.langs) expect(row).toContain(l);
      for (const f of s.fonts) expect(row).toContain(f);
      for (const p of s.packages) expect(row).toContain(`\`${p}\``);
    }
  });
});
