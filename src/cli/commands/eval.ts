// xlens eval: greedy answers scored with the same engine, tokenizer and prompt the app uses.
// --set heldout (default): the tiny models' held-out jsonl, exact match per language pair.
// --set xquad: the paper's benchmark, en-x and x-x, EM and F1, resumable item by item.

import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { exactMatch, f1Score } from '../../engine/analyses/metrics';
import { ropeTableLength } from '../../engine/graph/rope-table';
import type { LoadedModel } from '../../engine/model';
import { buildPrompt } from '../../engine/text/prompt';
import { LANGUAGES } from '../../data/languages';
import { pairText, sampleIds, XQUAD_SETTINGS, type XquadSetting } from '../../data/xquad';
import { UsageError, type Args } from '../args';
import { xquadSet } from '../examples';
import { DEFAULT_MODEL, REPO_ROOT, loadNodeModel, resolveModel, weightChoice } from '../node-engine';
import { out } from '../output';
import { answerTokenCap, firstLine } from '../../engine/analyses/analyze';
import { headerMismatch, markdownTable, permalink, planTasks, readRecords, RecordsWriter, RECORDS_FORMAT, scoreTable, type ItemRecord, type RunHeader } from '../xquad-eval';

export const DEFAULT_HELDOUT = join(REPO_ROOT, 'tools/tiny-model/heldout.jsonl');

/**
 * The model's answer as analyze() scores it: greedy, stopped at the end of the first line of content, the
 * first non-empty line trimmed; the cap is --max-new-tokens, or the gold answer's length plus a margin
 */
async function answerOf(model: LoadedModel, ids: number[], gold: string, maxNewTokens: number | null): Promise<string> {
  const cap = maxNewTokens ?? answerTokenCap(model.tokenizer.encode(gold.trim(), { addSpecialTokens: false }).length);
  const gen = await model.generate(ids, { maxNewTokens: cap, stop: (g) => /\S[^\n]*\n/.test(model.tokenizer.decode(g)) });
  return firstLine(model.tokenizer.decode(gen));
}

export async function run(a: Args): Promise<number> {
  const set = a.oneOf('set', ['heldout', 'xquad'] as const, 'heldout');
  return set === 'xquad' ? runXquad(a) : runHeldout(a);
}

async function runHeldout(a: Args): Promise<number> {
  for (const o of ['setting', 'langs', 'seed', 'records', 'app-url'] as const) {
    if (a.str(o) !== undefined) throw new UsageError(`--${o} is for --set xquad`);
  }
  if (a.bool('fresh')) throw new UsageError('--fresh is for --set xquad');
  const weights = weightChoice(a.str('weights'));
  const file = a.str('heldout') ?? DEFAULT_HELDOUT;
  const limit = a.int('limit', 1) ?? Infinity;
  const template = a.oneOf('template', ['plain', 'chat'] as const, 'plain');
  const maxNewTokens = a.int('max-new-tokens', 1, 256) ?? null;
  interface Item {
    id: string;
    context_lang: string;
    question_lang: string;
    context: string;
    question: string;
    answer: string;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--heldout: cannot read ${file}`);
  }
  const items: Item[] = text
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l);
      } catch {
        throw new Error(`${file}:${i + 1}: not JSON`);
      }
    });
  const model = await loadNodeModel(a.str('model') ?? DEFAULT_MODEL, a.str('hub'), weights);
  const cells = new Map<string, { n: number; em: number }>();
  const perItem: { id: string; prediction: string; em: number; f1: number }[] = [];
  let done = 0;
  const todo = items.length;
  for (const it of items) {
    const key = `${it.context_lang}>${it.question_lang}`;
    const c = cells.get(key) ?? { n: 0, em: 0 };
    if (c.n >= limit) continue;
    const p = buildPrompt(model.tokenizer, { context: it.context, question: it.question, answer: it.answer, template });
    const prediction = await answerOf(model, p.ids, it.answer, maxNewTokens);
    const em = exactMatch(prediction, it.answer, it.context_lang);
    c.n++;
    c.em += em;
    cells.set(key, c);
    perItem.push({ id: it.id, prediction, em, f1: f1Score(prediction, it.answer, it.context_lang) });
    if (++done % 50 === 0) process.stderr.write(`\r${done} items scored (of at most ${todo})`);
  }
  process.stderr.write(`\r${done} items scored\n`);
  const cl = [...new Set(items.map((i) => i.context_lang))].sort();
  const ql = [...new Set(items.map((i) => i.question_lang))].sort();
  const table = cl.map((c) =>
    ql.map((q) => {
      const x = cells.get(`${c}>${q}`);
      return x && x.n ? x.em / x.n : null;
    }),
  );
  const vals = table.flat().filter((x): x is number => x !== null);
  const summary = { mean: vals.reduce((s, x) => s + x, 0) / vals.length, min: Math.min(...vals), pairs: vals.length, items: done };
  const result = { model: model.id, weights: model.weightFormat, heldout: file, contextLangs: cl, questionLangs: ql, exactMatch: table, summary, perItem };
  const outFile = a.str('out');
  if (outFile) writeFileSync(outFile, JSON.stringify(result, null, 1) + '\n');
  const pct = (x: number | null) => (x === null ? '–' : String(Math.round(100 * x)));
  const md = [
    `Exact match (%) of \`${model.id}\`${model.weightFormat === 'int8' ? ' (int8 weights)' : ''} on \`${basename(file)}\` (${done} items), rows = context language, columns = question language. Mean ${(100 * summary.mean).toFixed(1)}%, min ${(100 * summary.min).toFixed(1)}%.`,
    '',
    `| ctx \\ q | ${ql.join(' | ')} |`,
    `|---|${ql.map(() => '---:').join('|')}|`,
    ...cl.map((c, i) => `| **${c}** | ${table[i].map(pct).join(' | ')} |`),
    '',
  ].join('\n');
  const mdFile = a.str('markdown');
  if (mdFile) writeFileSync(mdFile, md);
  await out(md);
  await model.dispose();
  return 0;
}

async function runXquad(a: Args): Promise<number> {
  if (a.str('heldout') !== undefined) throw new UsageError('--heldout is for --set heldout');
  const settingArg = a.oneOf('setting', ['en-x', 'x-x', 'all'] as const, 'all');
  const settings: XquadSetting[] = settingArg === 'all' ? [...XQUAD_SETTINGS] : [settingArg];
  const langs = a.langs('langs') ?? [...LANGUAGES];
  const limit = a.int('limit', 1);
  const seed = a.int('seed', 0, 2 ** 32 - 1) ?? 0;
  const template = a.oneOf('template', ['plain', 'chat'] as const, 'plain');
  const maxNewTokens = a.int('max-new-tokens', 1, 256) ?? null;
  const weights = weightChoice(a.str('weights'));
  const appUrl = a.str('app-url') ?? 'http://localhost:5173/';
  try {
    new URL(appUrl);
  } catch {
    throw new UsageError(`--app-url: "${appUrl}" is not a URL`);
  }
  const modelArg = a.str('model') ?? DEFAULT_MODEL;
  const resolved = resolveModel(modelArg, a.str('hub'));
  // a folder the app does not serve: the permalink names it as a bundled model of that name
  const ref = resolved.ref ?? { kind: 'bundled' as const, name: basename(modelArg.replace(/\/+$/, '')) };
  const recordsFile = a.str('records') ?? `xlens-eval-xquad-${(ref.kind === 'bundled' ? ref.name : ref.repo).replace(/[^A-Za-z0-9._-]+/g, '_')}-${template}.jsonl`;

  const en = xquadSet('en');
  const ids = limit === undefined ? en.ids : sampleIds(en.ids, limit, seed);
  const tasks = planTasks(settings, langs, ids);
  const existing = a.bool('fresh') ? { header: null, records: new Map<string, ItemRecord>(), damaged: 0, openLine: false } : readRecords(recordsFile);

  const model = await loadNodeModel(modelArg, a.str('hub'), weights);
  // the model as the user named it (a bundled name, a repo id, a folder)
  const label = ref.kind === 'bundled' ? (resolved.ref ? ref.name : modelArg) : `${ref.repo}${ref.revision ? `@${ref.revision}` : ''}`;
  const header: RunHeader = { type: 'run', format: RECORDS_FORMAT, model: label, weights: model.weightFormat, template, maxNewTokens, createdAt: new Date().toISOString() };
  if (existing.header) {
    const why = headerMismatch(existing.header, header);
    if (why) {
      await model.dispose();
      throw new UsageError(`${recordsFile} holds a run with other settings (${why}); pass --fresh to start it over, or --records <another file>`);
    }
  }
  const writer = RecordsWriter.start(recordsFile, header, a.bool('fresh'), existing);
  const records = existing.records;
  const todo = tasks.filter((t) => !records.has(t.key));
  process.stderr.write(
    `XQuAD ${settings.join(' + ')} on ${label}: ${ids.length} items per language${limit !== undefined ? ` (sample, seed ${seed})` : ''}, ${tasks.length} prompts; ` +
      (todo.length < tasks.length ? `${tasks.length - todo.length} already in ${recordsFile}, ${todo.length} to go.\n` : `records in ${recordsFile}.\n`),
  );
  if (existing.damaged) process.stderr.write(`(${existing.damaged} unreadable line(s) in ${recordsFile} ignored: a run stopped mid-write; those items run again)\n`);

  const limitTokens = ropeTableLength(model.spec.maxPositions);
  const tty = process.stderr.isTTY;
  const t0 = Date.now();
  let done = 0;
  let emSum = 0;
  let f1Sum = 0;
  let scored = 0;
  let tooLong = 0;
  for (const t of todo) {
    const text = pairText(xquadSet(t.contextLang), xquadSet(t.questionLang), t.exampleId)!;
    const base = { type: 'item' as const, key: t.key, exampleId: t.exampleId, contextLang: t.contextLang, questionLang: t.questionLang, gold: text.answer, permalink: permalink(appUrl, ref, t.contextLang, t.questionLang, t.exampleId, template) };
    let rec: ItemRecord;
    if (text.answerStart < 0) {
      rec = { ...base, status: 'no-answer', promptTokens: 0 };
    } else {
      const p = buildPrompt(model.tokenizer, { context: text.context, question: text.question, answer: text.answer, answerStart: text.answerStart, template });
      if (p.ids.length > limitTokens) {
        rec = { ...base, status: 'too-long', promptTokens: p.ids.length };
        tooLong++;
      } else {
        const prediction = await answerOf(model, p.ids, text.answer, maxNewTokens);
        const em = exactMatch(prediction, text.answer, t.contextLang);
        const f1 = f1Score(prediction, text.answer, t.contextLang);
        rec = { ...base, status: 'scored', promptTokens: p.ids.length, prompt: p.text, prediction, em, f1: Number(f1.toFixed(6)) };
        scored++;
        emSum += em;
        f1Sum += f1;
      }
    }
    writer.append(rec);
    records.set(rec.key, rec);
    done++;
    const line = `[${t.contextLang}-${t.questionLang}] ${done}/${todo.length} · EM ${scored ? ((100 * emSum) / scored).toFixed(1) : '–'} F1 ${scored ? ((100 * f1Sum) / scored).toFixed(1) : '–'} · ${tooLong} too long · ${(done / Math.max(0.001, (Date.now() - t0) / 1000)).toFixed(1)} items/s`;
    if (tty) process.stderr.write(`\r${line}\x1b[K`);
    else if (done % 25 === 0 || done === todo.length) process.stderr.write(line + '\n');
  }
  if (tty && todo.length) process.stderr.write('\n');

  const table = scoreTable(records, settings, langs, ids);
  const caption = `XQuAD (${settings.join(', ')}), \`${label}\`${model.weightFormat !== 'fp32' ? ` (${model.weightFormat} weights)` : ''}, ${template} template, ${ids.length} items per language${limit !== undefined ? ` (sample of ${limit}, seed ${seed})` : ''}; EM and F1 after SQuAD v1.1 normalisation (zh, th per character). Records: \`${recordsFile}\`.`;
  const md = markdownTable(table, caption);
  const json = { kind: 'xquad-eval', model: label, weights: model.weightFormat, template, maxNewTokens, seed: limit !== undefined ? seed : null, itemsPerLanguage: ids.length, exampleIds: ids, records: recordsFile, ...table };
  const outFile = a.str('out');
  if (outFile) writeFileSync(outFile, JSON.stringify(json, null, 1) + '\n');
  const mdFile = a.str('markdown');
  if (mdFile) writeFileSync(mdFile, md);
  await out(md);
  await model.dispose();
  return 0;
}
