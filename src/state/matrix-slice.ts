// The matrix slice: the pair matrix over context x question languages, run on the main model's
// worker. Cells arrive as they finish and stay when the run is cancelled or fails; a newer run
// (or a recorded matrix shown meanwhile) makes an older run's replies be ignored.
import type { MatrixExample } from '../engine/analyses/matrix';
import { CATALOG } from '../data/catalog';
import type { LangCode } from '../data/languages';
import { sampleIds, type XquadSet } from '../data/xquad';
import { isCancelled } from '../worker/client';
import type { WorkerMessage } from '../worker/messages';
import { hubCleared } from './hub-slice';
import { modelSource } from './input';
import { describeError } from './run-errors';
import { ProgressTracker } from './run-progress';
import { checkBundled } from './run-slice';
import type { StoreContext } from './store-context';
import type { MatrixSlice, MatrixState } from './store-types';

/** the XQuAD sample of the pair matrix is always drawn with this seed (as `xlens matrix --set xquad`) */
export const XQUAD_MATRIX_SEED = 0;

/** n XQuAD items (a reproducible sample) as matrix examples in the given languages */
export function xquadMatrixExamples(sets: Partial<Record<LangCode, XquadSet>>, langs: LangCode[], n: number): MatrixExample[] {
  const first = sets[langs[0]];
  if (!first) return [];
  return sampleIds(first.ids, n, XQUAD_MATRIX_SEED).map((id) => ({
    id,
    langs: Object.fromEntries(
      langs.flatMap((l) => {
        const it = sets[l]?.get(id);
        return it && it.answerStart >= 0 ? [[l, { context: it.context, question: it.question, answer: it.answer, answerStart: it.answerStart }]] : [];
      }),
    ),
  }));
}

export function matrixSlice(ctx: StoreContext): MatrixSlice {
  const { set, get, env, generation, patchSlot } = ctx;
  const slot = env.slots.main;
  return {
    matrix: { status: 'idle', result: null, done: 0, total: 0, progress: null, error: null, set: CATALOG.some((e) => e.set === 'tiny') ? 'tiny' : 'parallel', count: 2, metric: 'f1', mrd: true },

    async runMatrix() {
      if (get().recorded?.kind === 'matrix') get().clearRecorded();
      const s = get();
      const gen = ++generation.matrix;
      const current = () => generation.matrix === gen;
      const mset = s.matrix.set;
      const { contextLangs, questionLangs, depths } = s.page.matrix;
      const total = contextLangs.length * questionLangs.length;
      let examples: MatrixExample[];
      if (mset === 'xquad') {
        const langs = [...new Set([...contextLangs, ...questionLangs])];
        set({ matrix: { ...s.matrix, status: 'loading', done: 0, total, error: null, progress: { phase: 'download', label: `XQuAD data (${langs.join(', ')})`, loaded: 0 }, result: null } });
        const ok = await get().loadXquad(langs);
        if (!current()) return;
        if (!ok) {
          set((st) => ({ matrix: { ...st.matrix, status: 'error', progress: null, error: st.xquad.error } }));
          return;
        }
        examples = xquadMatrixExamples(get().xquad.sets, langs, s.matrix.count);
      } else {
        examples = CATALOG.filter((e) => e.set === mset)
          .slice(0, s.matrix.count)
          .map((e) => ({ id: e.id, langs: e.langs }));
      }
      if (!examples.length) {
        set({ matrix: { ...s.matrix, status: 'error', error: `The ${mset} example set is empty.` } });
        return;
      }
      if (!hubCleared(ctx, 'matrix', s.page.model, s.runtime)) {
        set({ matrix: { ...s.matrix, status: 'idle', error: null, progress: null } });
        return;
      }
      const tracker = new ProgressTracker();
      set({ matrix: { ...s.matrix, status: slot.isLoaded ? 'running' : 'loading', done: 0, total, error: null, progress: null, result: null } });
      const patch = (p: Partial<MatrixState>) => set((st) => ({ matrix: { ...st.matrix, ...p } }));
      const listener = (msg: WorkerMessage) => {
        if (!current()) return;
        const p = tracker.update(msg);
        if (p && msg.type !== 'stage') patch({ progress: p });
        if (msg.type === 'ready') patchSlot('main', { ready: msg });
        if (msg.type === 'matrix') patch({ result: msg.result, done: msg.done, total: msg.total, progress: null });
      };
      try {
        const problem = await checkBundled(env, s.page.model);
        if (problem) throw Object.assign(new Error(problem), { name: 'MissingModel' });
        const ready = await slot.ensure(modelSource(s.page.model, s.runtime.hubBase, env.origin, env.base), s.page.backend, listener, s.page.weights);
        patchSlot('main', { ready });
        if (!current()) return;
        patch({ status: 'running' });
        await slot.matrix(
          { examples, contextLangs, questionLangs, depths, mrd: s.matrix.mrd, template: s.page.template, window: s.page.analyses.window, maxNewTokens: s.runtime.maxNewTokens },
          listener,
        );
        if (current()) patch({ status: 'done', progress: null });
      } catch (e) {
        if (!current()) return;
        const err = e as Error;
        if (isCancelled(err)) patch({ status: 'cancelled', progress: null });
        else patch({ status: 'error', progress: null, error: err.name === 'MissingModel' ? err.message : describeError(err.name, err.message, 'matrix') });
      }
    },

    setMatrixOptions(o) {
      set((s) => ({ matrix: { ...s.matrix, ...o } }));
    },
  };
}
