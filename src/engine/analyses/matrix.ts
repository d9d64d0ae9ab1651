// Pair matrix: one model over an example set for every (context language, question
// language) pair: EM, F1, target probability and phase depths, with phasing stability
// (mean and standard deviation of the depths) per pair and overall.

import { InputTooLongError, type LoadedModel } from '../model';
import { type MatrixCell, type MatrixItem, type MatrixResult, type MeanStd, SCHEMA_VERSION } from '../result';
import type { TemplateKind } from '../text/prompt';
import { analyze, resultModel } from './analyze';
import { exampleInput } from '../example-input';
import { checkpoint } from '../runtime/cancel';

export interface MatrixExample {
  id: string;
  /** `answerStart`: where the answer span starts in the context, when it is not its first occurrence (XQuAD) */
  langs: Record<string, { context: string; question: string; answer: string; answerStart?: number }>;
}

export interface MatrixOptions {
  template?: TemplateKind;
  /** compute knockout phase depths (slower); window default ≈ L/4 */
  depths?: boolean;
  /** compute AttnLRP relevance and the Major Relevance Depths (slower) */
  mrd?: boolean;
  window?: number;
  maxNewTokens?: number;
  signal?: AbortSignal;
  /** called after every finished cell with the partial matrix */
  onCell?: (m: MatrixResult, done: number, total: number) => void;
}

/** population standard deviation; null when there are no values */
export function meanStd(values: (number | null)[]): MeanStd {
  const v = values.filter((x): x is number => x !== null);
  if (!v.length) return { mean: null, std: null, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return { mean, std: Math.sqrt(variance), n: v.length };
}

export async function pairMatrix(
  model: LoadedModel,
  examples: MatrixExample[],
  contextLangs: string[],
  questionLangs: string[],
  opts: MatrixOptions = {},
): Promise<MatrixResult> {
  const template = opts.template ?? 'plain';
  const result: MatrixResult = {
    schemaVersion: SCHEMA_VERSION,
    kind: 'matrix',
    createdAt: new Date().toISOString(),
    backend: model.backend,
    model: resultModel(model),
    template,
    contextLangs,
    questionLangs,
    exampleIds: examples.map((e) => e.id),
    window: null,
    cells: [],
    overall: { exactMatch: 0, f1: 0, questionDepth: meanStd([]), answerDepth: meanStd([]), questionMrd: meanStd([]), answerMrd: meanStd([]) },
    complete: false,
  };
  const total = contextLangs.length * questionLangs.length;
  for (const cl of contextLangs) {
    for (const ql of questionLangs) {
      const items: MatrixItem[] = [];
      const skippedTooLong: string[] = [];
      for (const ex of examples) {
        const c = ex.langs[cl];
        const q = ex.langs[ql];
        if (!c || !q) continue;
        await checkpoint(opts.signal);
        const input = exampleInput(ex.id, cl, ql, { context: c.context, question: q.question, answer: c.answer, answerStart: c.answerStart }, template);
        let r;
        try {
          // the matrix needs the lens at the last position only: the forward's own
          r = await analyze(model, input, { maxNewTokens: opts.maxNewTokens, signal: opts.signal, lens: 'last', knockout: opts.depths ? { window: opts.window } : false, relevance: opts.mrd });
        } catch (e) {
          // a prompt longer than the model's context is counted and named, not scored and not fatal
          if (e instanceof InputTooLongError) {
            skippedTooLong.push(ex.id);
            continue;
          }
          throw e;
        }
        if (r.knockout) result.window = r.knockout.window;
        const T = r.prompt.tokens.length;
        items.push({
          exampleId: ex.id,
          exactMatch: r.generation!.exactMatch,
          f1: r.generation!.f1,
          targetProb: r.lens.targetProb[r.model.numLayers][T - 1]!,
          questionDepth: r.phases?.questionEncodingKnockout ?? null,
          answerDepth: r.phases?.answerRetrievalKnockout ?? null,
          questionMrd: r.phases?.questionEncodingMrd ?? null,
          answerMrd: r.phases?.answerRetrievalMrd ?? null,
        });
      }
      const avg = (f: (i: MatrixItem) => number) => (items.length ? items.reduce((a, i) => a + f(i), 0) / items.length : 0);
      const cell: MatrixCell = {
        contextLang: cl,
        questionLang: ql,
        n: items.length,
        exactMatch: avg((i) => i.exactMatch),
        f1: avg((i) => i.f1),
        targetProb: avg((i) => i.targetProb),
        questionDepth: meanStd(items.map((i) => i.questionDepth)),
        answerDepth: meanStd(items.map((i) => i.answerDepth)),
        questionMrd: meanStd(items.map((i) => i.questionMrd)),
        answerMrd: meanStd(items.map((i) => i.answerMrd)),
        items,
        ...(skippedTooLong.length ? { skippedTooLong } : {}),
      };
      result.cells.push(cell);
      const all = result.cells.flatMap((x) => x.items);
      result.overall = {
        exactMatch: all.length ? all.reduce((a, i) => a + i.exactMatch, 0) / all.length : 0,
        f1: all.length ? all.reduce((a, i) => a + i.f1, 0) / all.length : 0,
        questionDepth: meanStd(all.map((i) => i.questionDepth)),
        answerDepth: meanStd(all.map((i) => i.answerDepth)),
        questionMrd: meanStd(all.map((i) => i.questionMrd)),
        answerMrd: meanStd(all.map((i) => i.answerMrd)),
      };
      opts.onCell?.(result, result.cells.length, total);
    }
  }
  result.complete = true;
  return result;
}
