import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult, MatrixResult } from '../engine/result';
import { analysisToCSV, csvCell, matrixToCSV, parseResultJSON, resultToJSON, validateResult } from './result-file';
import { FORMULA_STARTS, genAnalysis, INVISIBLES, LONE_SURROGATES, pickOne, seeded, sprinkle } from '../../test/state/result-generators';

const analysisText = readFileSync('fixtures/results/analysis-qwen2-bias.json', 'utf8');
const matrixText = readFileSync('fixtures/results/matrix-qwen2-bias.json', 'utf8');
const analysis = (): AnalysisResult => JSON.parse(analysisText);
const matrix = (): MatrixResult => JSON.parse(matrixText);

/** minimal RFC 4180 parser for checking our own output */
function parseCSV(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (q) {
      if (ch === '"' && s[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') q = false;
      else cell += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && s[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  return rows;
}

describe('result file validation', () => {
  it('accepts real analysis and matrix results and returns equal fresh copies', () => {
    for (const text of [analysisText, matrixText]) {
      const r = parseResultJSON(text);
      expect(r.ok, r.ok ? '' : r.errors.join('\n')).toBe(true);
      if (r.ok) expect(r.result).toEqual(JSON.parse(text));
    }
  });

  it('round-trips its own JSON export', () => {
    const r = parseResultJSON(resultToJSON(analysis()));
    expect(r.ok).toBe(true);
  });

  it('keeps the weight format when recorded and rejects unknown ones; older results without it stay valid', () => {
    const a = analysis();
    delete a.model.weights; // results made before the format was recorded
    expect(validateResult(a).ok).toBe(true);
    a.model.weights = 'int8';
    const r = validateResult(a);
    expect(r.ok && r.result.model.weights).toBe('int8');
    (a.model as unknown as Record<string, unknown>).weights = 'int4';
    const bad = validateResult(a);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.join('\n')).toMatch(/weight format \(model\.weights\): expected one of fp32, int8, fp16/);
  });

  it('drops unknown fields', () => {
    const a = analysis() as unknown as Record<string, unknown>;
    a.extra = { evil: true };
    const r = validateResult(a);
    expect(r.ok && 'extra' in r.result).toBe(false);
  });

  it('names the field for wrong types, shapes and ranges', () => {
    const cases: [(a: AnalysisResult) => void, RegExp][] = [
      [(a) => (a.lens.targetProb[1][2] = 1.5), /lens\.targetProb\[1\]\[2\].*outside/],
      [(a) => (a.lens.targetRank[0][0] = 0), /lens\.targetRank\[0\]\[0\]/],
      [(a) => a.lens.targetProb.pop(), /logit lens \(lens\.targetProb\) has 3 rows; the result's shape needs 4/],
      [(a) => a.attention.lastRowHeads[0].pop(), /lastRowHeads\[0\]\) has 3 rows; the result's shape needs 4/],
      [(a) => a.attention.lastRowMean[0].push(0), /lastRowMean\[0\]\) has 75 columns; the result's shape needs 74/],
      [(a) => ((a.model as unknown as Record<string, unknown>).numLayers = '3'), /number of layers \(model\.numLayers\): expected a whole number/],
      [(a) => (a.knockout!.effect.question[0] = NaN), /knockout\.effect\.question\[0\]\): expected a finite number, got NaN/],
      [(a) => (a.prompt.tokens[3].segment = 'evil' as never), /prompt\.tokens\[3\]\.segment/],
      [(a) => (a.input.context = 'x'.repeat(30000)), /context text \(input\.context\) is 30,000 characters/],
      [(a) => (a.relevance!.mrd.question = 99), /relevance\.mrd\.question\): 99 is outside 0\.\.3/],
      [(a) => (a.backend = 'cuda' as never), /backend \(backend\): expected one of webgpu, wasm/],
    ];
    for (const [mutate, re] of cases) {
      const a = analysis();
      mutate(a);
      const r = validateResult(a);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.join('\n')).toMatch(re);
    }
  });

  it('reports schema versions clearly', () => {
    const a = analysis() as unknown as Record<string, unknown>;
    a.schemaVersion = 3;
    const r = validateResult(a);
    expect(!r.ok && r.errors[0]).toMatch(/schema version 3, made by a newer xlens; this xlens reads version 2/);
    a.schemaVersion = 0;
    expect(!validateResult(a).ok && (validateResult(a) as { errors: string[] }).errors[0]).toMatch(/schema version 0/);
    delete a.schemaVersion;
    expect((validateResult(a) as { errors: string[] }).errors[0]).toMatch(/schema version \(schemaVersion\) is missing/);
  });

  it('refuses prototype-polluting keys, deep nesting, huge files, non-JSON', () => {
    const proto = parseResultJSON(analysisText.replace('"lens":{', '"lens":{"__proto__":{"polluted":1},'));
    expect(proto.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (!proto.ok) expect(proto.errors.join()).toMatch(/forbidden key "__proto__"/);
    const deep = '{"kind":"analysis","x":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
    expect((parseResultJSON(deep) as { errors: string[] }).errors[0]).toMatch(/nested more than/);
    expect((parseResultJSON('x'.repeat(21 * 1024 * 1024)) as { errors: string[] }).errors[0]).toMatch(/at most 20 MB/);
    expect((parseResultJSON(analysisText.slice(0, 1000)) as { errors: string[] }).errors[0]).toMatch(/not valid JSON/);
    expect((parseResultJSON('') as { errors: string[] }).errors[0]).toMatch(/empty/);
    expect((parseResultJSON('[1,2]') as { errors: string[] }).errors[0]).toMatch(/expected a JSON object/);
  });

  it('keeps hostile text as plain data (it is never HTML)', () => {
    const a = analysis();
    a.prompt.tokens[0].text = '<img src=x onerror=alert(1)>';
    a.model.id = 'javascript:alert(1)';
    const r = validateResult(a);
    expect(r.ok).toBe(true);
  });

  it('validates matrix shape and ranges', () => {
    const m = matrix();
    m.cells[0].questionDepth.mean = 7;
    m.cells.push(structuredClone(m.cells[1]));
    const r = validateResult(m);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(/questionDepth\.mean: 7 is outside|appears twice|at most 9/);
  });
});

describe('CSV export', () => {
  it('escapes and neutralises formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+SUM(A1)')).toBe("'+SUM(A1)");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('=HYPERLINK("x","y")')).toBe('"\'=HYPERLINK(""x"",""y"")"');
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(' Lisbon')).toBe('" Lisbon"');
  });

  it('writes one row per (layer, position) and per knockout window and set', () => {
    const a = analysis();
    a.prompt.tokens[1].text = '=cmd|"/c calc"!A0';
    const rows = parseCSV(analysisToCSV(a));
    const T = a.prompt.tokens.length;
    const L = a.model.numLayers;
    const lensRows = rows.filter((r) => r[0] === 'lens');
    const koRows = rows.filter((r) => r[0] === 'knockout');
    expect(lensRows.length).toBe((L + 1) * T);
    expect(koRows.length).toBe(a.knockout!.windows.length * a.knockout!.sets.length);
    expect(rows.every((r) => r.length === rows[0].length)).toBe(true);
    const h = rows[0];
    const r12 = lensRows.find((r) => r[1] === '2' && r[2] === '5')!;
    expect(Number(r12[h.indexOf('lens_target_prob')])).toBe(a.lens.targetProb[2][5]);
    expect(Number(r12[h.indexOf('attention_mean')])).toBe(a.attention.lastRowMean[1][5]);
    expect(Number(r12[h.indexOf('relevance')])).toBe(a.relevance!.relevance[2][5]);
    expect(lensRows[1][3]).toBe('\'=cmd|"/c calc"!A0');
    expect(lensRows[0][h.indexOf('attention_mean')]).toBe('');
  });

  it('writes the matrix with every metric and std', () => {
    const m = matrix();
    const rows = parseCSV(matrixToCSV(m));
    expect(rows.length).toBe(1 + m.cells.length + 1);
    const h = rows[0];
    expect(h).toContain('question_depth_std');
    const cellText = (v: number | null) => (v === null ? '' : v);
    for (const [col, v] of [
      ['question_depth_std', m.cells[0].questionDepth.std],
      ['answer_depth', m.cells[0].answerDepth.mean],
      ['question_mrd', m.cells[0].questionMrd.mean],
    ] as const) {
      const got = rows[1][h.indexOf(col)];
      expect(got === '' ? '' : Number(got)).toBe(cellText(v));
    }
    expect(m.cells.some((c) => c.answerDepth.mean === null || c.questionDepth.mean === null)).toBe(true); // empty cells are written as 
  });
});

describe('schema versions 1 and 2', () => {
  it('reads a schema-1 result (every lens cell computed, no pending sections)', () => {
    const old = JSON.parse(readFileSync('fixtures/results/analysis-qwen2-bias-v1.json', 'utf8'));
    expect(old.schemaVersion).toBe(1);
    const r = validateResult(old);
    expect(r.ok).toBe(true);
    if (r.ok && r.result.kind === 'analysis') expect(r.result.lens.targetProb.flat().every((p) => p !== null)).toBe(true);
  });

  it('reads a lens that covers some positions, and refuses grids that disagree about which', () => {
    const a = analysis();
    const T = a.prompt.tokens.length;
    const L = a.model.numLayers;
    for (let l = 0; l <= L; l++) for (const g of [a.lens.targetProb, a.lens.targetRank, a.lens.topId, a.lens.topProb]) g[l][0] = null;
    a.lens.coverage = 'phases';
    const ok = validateResult(a);
    expect(ok.ok).toBe(true);
    if (ok.ok && ok.result.kind === 'analysis') {
      expect(ok.result.lens.targetProb[0][0]).toBeNull();
      expect(ok.result.lens.coverage).toBe('phases');
    }
    const half = analysis();
    half.lens.targetProb[1][0] = null; // the other three grids still hold a number there
    expect(validateResult(half).ok).toBe(false);
    const noLast = analysis();
    for (const g of [noLast.lens.targetProb, noLast.lens.targetRank, noLast.lens.topId, noLast.lens.topProb]) g[0][T - 1] = null;
    const bad = validateResult(noLast);
    expect(!bad.ok && bad.errors.join(' ')).toMatch(/last position/);
    // schema 1 had no nulls at all
    const v1 = analysis() as unknown as Record<string, unknown> & AnalysisResult;
    v1.schemaVersion = 1;
    v1.lens.targetProb[0][0] = null;
    expect(validateResult(v1).ok).toBe(false);
  });

  it('reads a partial result shared while its answer was still being written', () => {
    const a = analysis();
    delete a.generation;
    expect(validateResult(a).ok).toBe(false);
    a.pending = ['generation', 'knockout'];
    const r = validateResult(a);
    expect(r.ok).toBe(true);
    if (r.ok && r.result.kind === 'analysis') expect(r.result.pending).toEqual(['generation', 'knockout']);
  });

  it('by class: a formula after any leading whitespace or line break is neutralised; controls are never raw', () => {
    const rand = seeded(31);
    const payloads = ['1+1', 'HYPERLINK("http://evil","x")', 'cmd|"/c calc"!A0', 'SUM(A1:A9)', '2'];
    for (const start of FORMULA_STARTS) {
      for (const p of payloads) {
        const cell = parseCSV(`${csvCell(start + p)}\r\n`)[0][0];
        expect(cell.startsWith("'"), JSON.stringify(start + p)).toBe(true);
      }
    }
    // plain text and numbers stay as they are
    for (const v of ['Lisbon', 'a=b', 'x-1', 'e@mail']) expect(parseCSV(`${csvCell(v)}\r\n`)[0][0]).toBe(v);
    for (let i = 0; i < 200; i++) {
      const text = sprinkle(rand, pickOne(rand, ['Lisbon', ' أحمد', '北京', '']), [...INVISIBLES, ...LONE_SURROGATES, '\u0007', '\u009B'], 1 + Math.floor(rand() * 4));
      const out = csvCell(text);
      expect(out).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/);
      // well-formed: encodes to UTF-8 and back unchanged
      expect(new TextDecoder().decode(new TextEncoder().encode(out))).toBe(out);
    }
    expect(csvCell('a\u0000b\u001Bc')).toBe('a\u2400b\u241Bc');
  });

  it('a whole result with hostile token texts exports a CSV whose every text cell is safe', () => {
    const rand = seeded(32);
    const r = genAnalysis(rand, { L: 3, H: 2, T: 30, knockout: true, relevance: true });
    r.prompt.tokens.forEach((t, i) => (t.text = pickOne(rand, FORMULA_STARTS) + (i % 2 ? '\uD800' : '\u0000') + t.text));
    for (const k of Object.keys(r.lens.tokenText)) r.lens.tokenText[k] = `\n@SUM(1)${k}`;
    const rows = parseCSV(analysisToCSV(r));
    const h = rows[0];
    for (const row of rows.slice(1).filter((x) => x[0] === 'lens')) {
      expect(row[h.indexOf('token')].startsWith("'")).toBe(true);
      expect(row[h.indexOf('lens_top1')].startsWith("'")).toBe(true);
    }
  });
});

