// Pair matrix: one model over an example set for every (context language, question
// language) pair: EM, F1, target probability and phase depths, with phasing stability
// (mean and standard deviation of the depths) per pair and overall.

import { InputTooLongError, type LoadedModel } from '../model';
import { type MatrixItem, type MatrixResult, SCHEMA_VERSION } from '../result';
import { matrixCell, matrixOverall } from './matrix-cells';
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
    overall: matrixOverall([]),
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
      result.cells.push({ ...matrixCell(cl, ql, items), ...(skippedTooLong.length ? { skippedTooLong } : {}) });
      result.overall = matrixOverall(result.cells.flatMap((x) => x.items));
      opts.onCell?.(result, result.cells.length, total);
    }
  }
  result.complete = true;
  return result;
}
