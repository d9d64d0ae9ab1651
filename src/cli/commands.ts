// The commands and their options. Specs are plain data (help costs nothing); each command's
// code loads only when it runs, so `dump` does not pay for the example data.
import type { Args, CommandSpec, OptionSpec } from './args';
import { LANGUAGES } from '../data/languages';

export interface Runner {
  run(args: Args): Promise<number>;
}

const model: OptionSpec = { type: 'string', value: '<name|folder|owner/name>', help: 'a bundled model by name (xlens-tiny-instruct, xlens-tiny-base), a model folder, or a hub repo id [@revision] (default: xlens-tiny-instruct)' };
const hub: OptionSpec = { type: 'string', value: '<url>', help: 'hub base URL for repo ids (default: $XLENS_HUB or https://huggingface.co)' };
const weights: OptionSpec = { type: 'string', value: 'auto|fp32|int8', help: 'weight format: auto (fp32 when it fits, else int8), fp32 or int8 (default: auto; docs/weights.md)' };
const template: OptionSpec = { type: 'string', value: 'plain|chat', help: "prompt template: plain, or the model's chat template (default: plain)" };
const maxNew = (): OptionSpec => ({ type: 'string', value: '<n>', help: "longest generated answer, in tokens (default: the gold answer's length plus a margin; the answer ends at its first line)" });
const window: OptionSpec = { type: 'string', value: '<layers>', help: 'knockout window width in layers (default: about a quarter of the layers)' };

export const SPECS: Record<string, CommandSpec> = {
  dump: {
    name: 'dump',
    summary: 'print logits [T][V], hidden [L+1][T][d] and attention [L][H][T][T] of token ids as JSON',
    usage: ['--model <m> --ids 1,2,3'],
    options: {
      model,
      ids: { type: 'string', value: '<id,id,…>', help: 'token ids to run (required)' },
      hub,
    },
  },
  analyze: {
    name: 'analyze',
    summary: 'one full analysis (lens, attention, answer, knockout, relevance, phases) printed as the result JSON',
    usage: [
      '[--model <m>] --example <id> --context-lang <l> --question-lang <l>',
      '[--model <m>] --context <text> --question <text> --answer <text>',
      '--example xquad-56beb4343aeaaa14008c925b --context-lang th --question-lang zh --no-relevance',
    ],
    options: {
      model,
      example: { type: 'string', value: '<id>', help: 'a built-in example: tiny-01…, a parallel-set id, or an XQuAD item xquad-<question id>' },
      'context-lang': { type: 'string', value: '<lang>', help: 'language of the context (default: en)' },
      'question-lang': { type: 'string', value: '<lang>', help: 'language of the question (default: en)' },
      context: { type: 'string', value: '<text>', help: 'your own context (with --question and --answer)' },
      question: { type: 'string', value: '<text>', help: 'your own question' },
      answer: { type: 'string', value: '<text>', help: 'the gold answer, copied from the context' },
      template,
      knockout: { type: 'boolean', default: true, help: 'attention knockout sweep and its phase depths' },
      window,
      relevance: { type: 'boolean', default: true, help: 'AttnLRP relevance and the Major Relevance Depths' },
      lens: { type: 'string', value: 'auto|phases|all', help: 'positions the logit lens covers: the phase positions (question, answer span, template after the question, last), all, or auto = all when cheap (default: auto)' },
      weights,
      'max-new-tokens': maxNew(),
      quiet: { type: 'boolean', help: 'no summary on stderr' },
      hub,
    },
    notes: [
      'The result JSON goes to stdout (schema: docs/result-schema.md); a short summary (answer, EM/F1,',
      `phases, knockout, relevance) goes to stderr. Languages: ${LANGUAGES.join(' ')}.`,
    ],
  },
  matrix: {
    name: 'matrix',
    summary: 'run a model over examples for every (context language, question language) pair',
    usage: ['[--model <m>] [--langs ar,en,zh] [--set tiny|parallel|xquad] [--count <n>] [--depths] [--mrd] [--out matrix.json]', '--set xquad --count 5 --langs en,th,zh --depths'],
    options: {
      model,
      langs: { type: 'string', value: '<l,l,…>', help: 'context and question languages (default: all 12)' },
      'context-langs': { type: 'string', value: '<l,l,…>', help: 'context languages (default: --langs)' },
      'question-langs': { type: 'string', value: '<l,l,…>', help: 'question languages (default: --langs)' },
      set: { type: 'string', value: 'tiny|parallel|xquad', help: 'example set (default: tiny)' },
      examples: { type: 'string', value: '<id,id,…>', help: 'example ids to run instead of a whole set (e.g. tiny-01,tiny-02 or xquad-<question id>)' },
      count: { type: 'string', value: '<n>', help: 'how many examples of the set per pair, a number like the app\'s "How many" (xquad: a reproducible sample; default: all, xquad 5)' },
      seed: { type: 'string', value: '<n>', help: 'seed of the XQuAD sample (default: 0)' },
      template,
      depths: { type: 'boolean', help: 'knockout phase depths (slower)' },
      mrd: { type: 'boolean', help: 'AttnLRP Major Relevance Depths (slower)' },
      window,
      weights,
      'max-new-tokens': maxNew(),
      out: { type: 'string', value: '<file.json>', help: 'write the matrix JSON there instead of stdout' },
      hub,
    },
    notes: ['Prompts longer than the model accepts are not analysed: each cell counts and names them (skippedTooLong).'],
  },
  eval: {
    name: 'eval',
    summary: 'score greedy answers: the bundled held-out set (12 x 12 exact match) or XQuAD (the paper\'s en-x / x-x table)',
    usage: [
      '[--model <m>] [--heldout tools/tiny-model/heldout.jsonl] [--limit <n>] [--out table.json] [--markdown table.md]',
      '--set xquad [--setting en-x|x-x|all] [--langs ar,th,zh] [--limit <n>] [--template plain|chat] [--records run.jsonl]',
      '--set xquad --setting en-x --limit 20',
    ],
    options: {
      model,
      set: { type: 'string', value: 'heldout|xquad', help: 'what to score (default: heldout)' },
      heldout: { type: 'string', value: '<file.jsonl>', help: 'held-out set (default: tools/tiny-model/heldout.jsonl, the tiny models\' set)' },
      setting: { type: 'string', value: 'en-x|x-x|all', help: 'xquad: English context with questions in x, both in x, or both (default: all)' },
      langs: { type: 'string', value: '<l,l,…>', help: 'xquad: the languages x (default: all 12)' },
      limit: { type: 'string', value: '<n>', help: 'heldout: items per language pair; xquad: items per language and setting, a reproducible sample (default: all)' },
      seed: { type: 'string', value: '<n>', help: 'xquad: seed of the --limit sample (default: 0)' },
      template,
      records: { type: 'string', value: '<file.jsonl>', help: 'xquad: one record per item, appended as it is scored; a rerun continues it (default: xlens-eval-xquad-<model>-<template>.jsonl)' },
      fresh: { type: 'boolean', help: 'xquad: start the records file over instead of continuing it' },
      out: { type: 'string', value: '<file.json>', help: 'write the table as JSON' },
      markdown: { type: 'string', value: '<file.md>', help: 'write the table as Markdown (it is also printed)' },
      'app-url': { type: 'string', value: '<url>', help: 'xquad: where the explorer runs, for each record\'s permalink (default: http://localhost:5173/)' },
      weights,
      'max-new-tokens': maxNew(),
      hub,
    },
    notes: [
      'EM and F1 use SQuAD v1.1 normalisation as MLQA extends it; Chinese and Thai are split per',
      'character (src/engine/analyses/metrics.ts). Prompts longer than the model accepts are counted',
      'as skipped (too long), never scored. Progress goes to stderr, the table to stdout.',
    ],
  },
};

export const RUNNERS: Record<string, () => Promise<Runner>> = {
  dump: () => import('./commands/dump'),
  analyze: () => import('./commands/analyze'),
  matrix: () => import('./commands/matrix'),
  eval: () => import('./commands/eval'),
};
