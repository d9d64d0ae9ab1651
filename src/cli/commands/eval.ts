// xlens eval: exact match of greedy answers on a held-out xMRC set, per (context language,
// question language) pair, with the same engine, tokenizer and prompt the app uses.

import { readFileSync, writeFileSync } from 'node:fs';
import { exactMatch } from '../../engine/analyses/metrics';
import { buildPrompt } from '../../engine/text/prompt';
import { parseArgs } from '../args';
import { loadNodeModel, weightChoice } from '../node-engine';

export const summary = 'score a model on a held-out jsonl set: 12 x 12 exact-match table (--out table.json, --markdown table.md, --weights int8)';

interface Item {
  id: string;
  context_lang: string;
  question_lang: string;
  context: string;
  question: string;
  answer: string;
}

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, ['model', 'heldout', 'out', 'markdown', 'hub', 'limit', 'weights']);
  if (!a.model || !a.heldout) throw new Error('usage: xlens eval --model <m> --heldout <file.jsonl> [--out table.json] [--markdown table.md] [--weights auto|fp32|int8]');
  const weights = weightChoice(a.weights);
  const items: Item[] = readFileSync(a.heldout, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l);
      } catch {
        throw new Error(`${a.heldout}:${i + 1}: not JSON`);
      }
    });
  const limit = a.limit ? Number(a.limit) : Infinity;
  const model = await loadNodeModel(a.model, a.hub, weights);
  const cells = new Map<string, { n: number; em: number }>();
  const perItem: { id: string; prediction: string; em: number }[] = [];
  let done = 0;
  for (const it of items) {
    const key = `${it.context_lang}>${it.question_lang}`;
    const c = cells.get(key) ?? { n: 0, em: 0 };
    if (c.n >= limit) continue;
    const p = buildPrompt(model.tokenizer, { context: it.context, question: it.question, answer: it.answer, template: 'plain' });
    const gen = await model.generate(p.ids, { maxNewTokens: 16 });
    const prediction = model.tokenizer.decode(gen).split('\n')[0].trim();
    const em = exactMatch(prediction, it.answer, it.context_lang);
    c.n++;
    c.em += em;
    cells.set(key, c);
    perItem.push({ id: it.id, prediction, em });
    if (++done % 50 === 0) process.stderr.write(`\r${done}/${items.length}`);
  }
  process.stderr.write('\n');
  const cl = [...new Set(items.map((i) => i.context_lang))].sort();
  const ql = [...new Set(items.map((i) => i.question_lang))].sort();
  const table = cl.map((c) => ql.map((q) => {
    const x = cells.get(`${c}>${q}`);
    return x && x.n ? x.em / x.n : null;
  }));
  const vals = table.flat().filter((x): x is number => x !== null);
  const summary = { mean: vals.reduce((s, x) => s + x, 0) / vals.length, min: Math.min(...vals), pairs: vals.length, items: done };
  const out = { model: model.id, weights: model.weightFormat, heldout: a.heldout, contextLangs: cl, questionLangs: ql, exactMatch: table, summary, perItem };
  if (a.out) writeFileSync(a.out, JSON.stringify(out, null, 1) + '\n');
  const pct = (x: number | null) => (x === null ? '–' : String(Math.round(100 * x)));
  const md = [
    `Exact match (%) of \`${model.id}\`${model.weightFormat === 'int8' ? ' (int8 weights)' : ''} on \`${a.heldout}\` (${done} items), rows = context language, columns = question language. Mean ${(100 * summary.mean).toFixed(1)}%, min ${(100 * summary.min).toFixed(1)}%.`,
    '',
    `| ctx \\ q | ${ql.join(' | ')} |`,
    `|---|${ql.map(() => '---:').join('|')}|`,
    ...cl.map((c, i) => `| **${c}** | ${table[i].map(pct).join(' | ')} |`),
    '',
  ].join('\n');
  if (a.markdown) writeFileSync(a.markdown, md);
  process.stdout.write(md);
  await model.dispose();
  return 0;
}
