import { describe, expect, it } from 'vitest';
import { modelName } from './model-name';
import { divergingScale, sequentialScale } from './scales';
import { h, t, toSVGString, xmlEscape } from './svg';
import { directionRuns, showToken, tokenDir } from './tokens';

describe('scales', () => {
  it('diverging scale is symmetric and centred on 0', () => {
    const s = divergingScale([-20, 5, 80, null], 'x');
    expect(s.domain).toEqual([-80, 80]);
    expect(s.position(0)).toBe(0.5);
    expect(s.position(-80)).toBe(0);
    expect(s.position(80)).toBe(1);
    expect(s.colour(-40)).not.toBe(s.colour(40));
    expect(s.ticks).toContain(0);
    // equal distance from 0 -> mirrored positions
    expect(s.position(-30) + s.position(30)).toBeCloseTo(1);
  });
  it('diverging scale with a fixed limit clamps beyond it', () => {
    const s = divergingScale([], 'x', { fixedMax: 10 });
    expect(s.position(50)).toBe(1);
    expect(s.colour(null)).toBe(s.colour(Number.NaN));
  });
  it('sequential scale maps the domain to 0..1, reversed when asked', () => {
    const s = sequentialScale(0, 4, 'r', { reverse: true });
    expect(s.position(2)).toBe(0.5);
    expect(s.colour(0)).not.toBe(s.colour(4));
  });
});

describe('svg scene', () => {
  it('escapes text and attributes', () => {
    expect(xmlEscape('<a&"\'>')).toBe('&lt;a&amp;&quot;&apos;&gt;');
    const s = toSVGString(h('g', { 'data-x': 'a"b' }, t('text', { x: 1 }, '</svg><script>')));
    expect(s).toBe('<g data-x="a&quot;b"><text x="1">&lt;/svg&gt;&lt;script&gt;</text></g>');
  });
});

describe('tokens', () => {
  it('makes whitespace visible and marks byte continuations', () => {
    expect(showToken(' Lisbon\n')).toBe('␣Lisbon↵');
    expect(showToken('')).toBe('·');
  });
  it('detects direction by the first strong character', () => {
    expect(tokenDir('ما')).toBe('rtl');
    expect(tokenDir(' the')).toBe('ltr');
    expect(tokenDir('北京')).toBe('ltr');
    expect(tokenDir(' 2015.')).toBeNull();
  });
  it('finds rtl runs inside a segment, with neutrals and continuations joined', () => {
    const toks = [
      { text: 'Context', segment: 'template' },
      { text: ':', segment: 'template' },
      { text: 'ف', segment: 'context' },
      { text: '', segment: 'context' },
      { text: ' ', segment: 'context' },
      { text: 'ي', segment: 'context' },
      { text: '.', segment: 'context' },
      { text: '\n', segment: 'template' },
    ];
    expect(directionRuns(toks)).toEqual([
      { dir: 'ltr', start: 0, end: 1 },
      { dir: 'rtl', start: 2, end: 6 },
      { dir: 'ltr', start: 7, end: 7 },
    ]);
  });
  it('keeps an rtl passage in one run across the answer span when blocks are merged', () => {
    const toks = [
      { text: 'ف', segment: 'context' },
      { text: 'م', segment: 'answer' },
      { text: 'ي', segment: 'context' },
    ];
    expect(directionRuns(toks).length).toBe(3);
    expect(directionRuns(toks, (s) => (s === 'answer' ? 'context' : s))).toEqual([{ dir: 'rtl', start: 0, end: 2 }]);
  });
});

describe('model names', () => {
  it('names a bundled folder by its name and a hub repo by its id, never by an address', () => {
    expect(modelName('http://localhost:5173/models/xlens-tiny-instruct')).toBe('xlens-tiny-instruct');
    expect(modelName('http://127.0.0.1:4373/app/models/xlens-tiny-base/')).toBe('xlens-tiny-base');
    expect(modelName('public/models/xlens-tiny-instruct')).toBe('xlens-tiny-instruct');
    expect(modelName('HuggingFaceTB/SmolLM2-135M-Instruct')).toBe('HuggingFaceTB/SmolLM2-135M-Instruct');
    expect(modelName('Qwen/Qwen2.5-0.5B@v1')).toBe('Qwen/Qwen2.5-0.5B@v1');
    expect(modelName('http://127.0.0.1:4174/xlens-fixtures/qwen2-bias-bf16/resolve/main')).toBe('xlens-fixtures/qwen2-bias-bf16');
  });
});

describe('token text shown safely', () => {
  it('bidi controls, invisible characters, controls and half characters are shown, never obeyed', () => {
    expect(showToken('\u202Eevil')).toBe('⟨U+202E⟩evil');
    expect(showToken(' a\u200Bb')).toBe('␣a⟨U+200B⟩b');
    expect(showToken('\u2066x\u2069')).toBe('⟨U+2066⟩x⟨U+2069⟩');
    expect(showToken('\u0000\u001B')).toBe('␀␛');
    expect(showToken('\uD800')).toBe('\uFFFD');
    expect(showToken('مرحبا')).toBe('مرحبا');
    expect(showToken('\uFEFF')).toBe('⟨U+FEFF⟩');
  });
});
