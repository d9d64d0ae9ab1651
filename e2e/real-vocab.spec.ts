// A real vocabulary in the browser: a model with Qwen2.5's real tokenizer and chat template (151,936
// vocabulary entries, random weights, a few narrow layers: fixtures/random-checkpoint.ts writes it
// before the test) on an XQuAD paragraph with the chat template. The analysis arrives in stages: the
// first heatmap from the forward alone (the lens at the last position, no answer yet), then the answer,
// the lens at the positions that carry the phases, knockout and relevance; the rest of the lens comes
// on demand, and then every cell is filled.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realTokenizerDir, recordedConfig, writeRandomCheckpoint } from '../fixtures/random-checkpoint';
import { pairText, parseXquad, XquadSet } from '../src/data/xquad';
import { phasePositions } from '../src/engine/analyses/analyze';
import { buildPrompt } from '../src/engine/text/prompt';
import { createTokenizer } from '../src/engine/text/tokenizer';
import { expect, HUB_URL, test } from './fixtures';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NAME = 'qwen2.5-real-vocab-3l';
const DIR = join(ROOT, 'fixtures', 'generated', NAME);
const L = 3;
/** Qwen2.5-0.5B-Instruct's config with 3 layers of width 64: the real vocabulary, a cheap model */
const CONFIG = { ...recordedConfig('Qwen/Qwen2.5-0.5B-Instruct'), num_hidden_layers: L, hidden_size: 64, num_attention_heads: 2, num_key_value_heads: 1, intermediate_size: 128 };

const tokDir = realTokenizerDir('qwen2_5');
const tok = createTokenizer(JSON.parse(readFileSync(join(tokDir, 'tokenizer.json'), 'utf8')), JSON.parse(readFileSync(join(tokDir, 'tokenizer_config.json'), 'utf8')));
const xquad = (l: string) => new XquadSet(parseXquad(JSON.parse(readFileSync(join(ROOT, 'public/data/xquad', `${l}.json`), 'utf8')), l));
const en = xquad('en');
const zh = xquad('zh');
/** an English paragraph with a Chinese question whose chat prompt has 150–300 tokens */
const ITEM = en.items
  .map((it) => {
    const t = pairText(en, zh, it.id)!;
    return { id: it.id, prompt: t.answerStart >= 0 ? buildPrompt(tok, { ...t, template: 'chat' }) : null };
  })
  .find((x) => x.prompt && x.prompt.ids.length >= 150 && x.prompt.ids.length <= 300)!;

interface Stage {
  pending: string[];
  answered: boolean;
  lensCells: number;
}

test.describe('a real vocabulary, an XQuAD paragraph, the analysis in stages', () => {
  test.skip(({ backend }) => backend !== 'wasm', 'the stages are the engine’s; SwiftShader WebGPU is too slow for a 151,936-entry unembedding here');

  test.beforeAll(() => {
    writeRandomCheckpoint(DIR, CONFIG, { tokenizerDir: tokDir, dtype: 'BF16' });
  });

  test('first heatmap from the forward, then the answer, the phase positions, knockout, relevance; the rest of the lens on demand', async ({ page }) => {
    test.setTimeout(8 * 60_000);
    expect(ITEM, 'an XQuAD item of the right length').toBeTruthy();
    const T = ITEM.prompt!.ids.length;
    const phases = phasePositions(ITEM.prompt!.tokens.map((t) => t.segment)).length;
    const params = new URLSearchParams({ model: `xlens-generated/${NAME}`, hub: HUB_URL, backend: 'wasm', cl: 'en', ql: 'zh', ex: ITEM.id, tpl: 'chat', debug: '1' });
    await page.goto(`/?${params}`);
    const explore = page.getByTestId('explore');
    await expect(explore).toHaveAttribute('data-stale', '0', { timeout: 300_000 });
    await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: 300_000 });
    await expect(page.getByTestId('lens-heatmap')).toBeVisible();
    await expect(page.getByTestId('knockout-heatmap')).toBeVisible();
    await expect(page.getByTestId('relevance-heatmap')).toBeVisible();

    const stages = (await page.evaluate(() => window.__xlensDebug?.stages ?? [])) as Stage[];
    const first = stages[0];
    // the first heatmap: the forward alone gives the lens at the last position of every layer, no answer yet
    expect(first.answered).toBe(false);
    expect(first.pending).toEqual(expect.arrayContaining(['generation', 'lens', 'knockout', 'relevance']));
    expect(first.lensCells).toBe(L + 1);
    // then the answer, with the lens and the sweeps still to come
    expect(stages.some((s) => s.answered && s.pending.includes('lens'))).toBe(true);
    // the stages only ever finish: what is pending shrinks, the lens only grows
    for (let i = 1; i < stages.length; i++) {
      for (const p of stages[i].pending) expect(stages[i - 1].pending).toContain(p);
      expect(stages[i].lensCells).toBeGreaterThanOrEqual(stages[i - 1].lensCells);
    }
    const last = stages.at(-1)!;
    expect(last.pending).toEqual([]);
    // the page tokenised the prompt as the engine does in Node
    const shown = await page.evaluate(() => window.__xlensDebug?.lastAnalysis ?? null);
    expect(shown!.prompt.tokens.map((t) => t.id)).toEqual(ITEM.prompt!.ids);
    expect(shown!.prompt.tokens.map((t) => t.segment)).toEqual(ITEM.prompt!.tokens.map((t) => t.segment));
    // by default (a 151,936-entry vocabulary on WASM) the lens covers the phase positions only
    expect(last.lensCells).toBe((L + 1) * phases);
    expect(phases).toBeLessThan(T);
    const coverage = page.getByTestId('lens-coverage');
    await expect(coverage).toHaveAttribute('data-coverage', 'phases');
    await expect(coverage).toContainText(`${phases} positions`);

    // the rest on demand, with progress, block by block
    await page.getByTestId('lens-complete').click();
    await expect(page.getByTestId('lens-coverage')).toHaveCount(0, { timeout: 300_000 });
    await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: 300_000 });
    const full = await page.evaluate(() => window.__xlensDebug?.lastAnalysis ?? null);
    expect(full!.lens.coverage).toBe('all');
    expect(full!.lens.targetProb.flat().every((p) => p !== null)).toBe(true);
    expect(full!.prompt.tokens.length).toBe(T);
  });
});
