// The run slice: the analyses of the main model and, in compare mode, of the other model. Each
// run takes a generation id; a reply for an older generation is ignored, so a run for an input
// the page has since left never shows. The shown result stays (dimmed) while the next computes.
import type { ResultInput } from '../engine/result';
import type { LangCode } from '../data/languages';
import { isXquadExampleId } from '../data/xquad';
import { isCancelled } from '../worker/client';
import type { WorkerMessage } from '../worker/messages';
import { exposeDebug } from './debug';
import { hubCleared } from './hub-slice';
import { modelSource, resolveInput } from './input';
import type { ModelRef, PageState } from './page-state';
import { describeError, xquadTooLongMessage } from './run-errors';
import { ProgressTracker } from './run-progress';
import type { StoreContext, StoreEnv } from './store-context';
import type { RunSlice, RunSlotName, RunSlotState } from './store-types';
import type { UrlRuntime } from './url-state';

export const emptySlot = (): RunSlotState => ({ status: 'idle', progress: null, ready: null, error: null, result: null, previous: null, resultKey: null, wantKey: null, partial: false });

/** what an analysis depends on: a change of this key re-runs it */
export function analysisKey(s: PageState, model: ModelRef | null, rt: UrlRuntime): string {
  return JSON.stringify([model, s.backend, s.weights, s.contextLang, s.questionLang, s.example, s.custom, s.template, s.analyses, rt.hubBase, rt.maxNewTokens]);
}

/** A bundled model's folder must exist; a clear message beats a JSON parse error from deep inside. */
export async function checkBundled(env: StoreEnv, ref: ModelRef): Promise<string | null> {
  if (ref.kind !== 'bundled') return null;
  const url = new URL(`${env.base}models/${ref.name}/config.json`, env.origin).href;
  try {
    const res = await env.fetch(url, { cache: 'no-store' });
    if (res.ok) {
      JSON.parse(await res.text());
      return null;
    }
    return `The model folder "${ref.name}" is missing: ${url} answered ${res.status}. Put a Hugging Face checkpoint (config.json, tokenizer.json, model.safetensors) in public/models/${ref.name}/, or pick another model.`;
  } catch {
    return `The model folder "${ref.name}" is missing or broken: ${url} is not a JSON file.`;
  }
}

export function runSlice(ctx: StoreContext): RunSlice {
  const { set, get, env, generation, patchSlot } = ctx;
  const { slots } = env;
  /** the XQuAD files loaded so far */
  const xquadLookup = (l: LangCode) => get().xquad.sets[l];

  async function runSlot(which: RunSlotName, model: ModelRef, input: ResultInput, key: string) {
    const gen = ++generation[which];
    const slot = slots[which];
    const rt = get().runtime;
    const page = get().page;
    const tracker = new ProgressTracker();
    const current = () => generation[which] === gen;
    /** the first result of this run replaces the shown one, which becomes `previous` */
    let first = true;
    slot.cancel('analyze'); // an analysis in flight for an older input stops; its reply is ignored
    if (!hubCleared(ctx, which, model, rt)) {
      patchSlot(which, { status: 'idle', error: null, progress: null, wantKey: key });
      return;
    }
    patchSlot(which, { status: slot.isLoaded ? 'running' : 'loading', error: null, progress: null, wantKey: key });
    const listener = (msg: WorkerMessage) => {
      if (!current()) return;
      const p = tracker.update(msg);
      if (p) patchSlot(which, { progress: p });
      // a second `ready` mid-run: the GPU device was lost and the worker switched to WASM
      if (msg.type === 'ready') patchSlot(which, { ready: msg });
      if (msg.type === 'analysis') {
        const prev = get()[which];
        patchSlot(which, {
          result: msg.result,
          previous: first ? prev.result : prev.previous,
          resultKey: key,
          partial: msg.partial,
        });
        first = false;
        if (which === 'main' && rt.debug) exposeDebug(msg.result, msg.debug);
      }
    };
    try {
      const problem = await checkBundled(env, model);
      if (problem) throw Object.assign(new Error(problem), { name: 'MissingModel', during: 'load' });
      if (!current()) return;
      const ready = await slot.ensure(modelSource(model, rt.hubBase, env.origin, env.base), page.backend, listener, page.weights);
      if (!current()) return;
      patchSlot(which, { ready, status: 'running' });
      if (input.template === 'chat' && !ready.hasChatTemplate) {
        throw Object.assign(new Error('This model has no chat template; choose the plain template.'), { name: 'PromptError', during: 'analyze' });
      }
      await slot.analyze(
        input,
        { knockout: page.analyses.knockout, relevance: page.analyses.relevance, window: page.analyses.window, maxNewTokens: rt.maxNewTokens, debug: which === 'main' && rt.debug },
        listener,
      );
      if (!current()) return;
      patchSlot(which, { status: 'done', progress: null, partial: false });
    } catch (e) {
      if (!current()) return;
      const err = e as Error & { during?: string };
      if (isCancelled(err)) {
        patchSlot(which, { status: 'cancelled', progress: null, ready: slot.ready });
        return;
      }
      const during = err.during ?? (slot.isLoaded ? 'analyze' : 'load');
      const message =
        err.name === 'MissingModel' ? err.message : err.name === 'InputTooLongError' && isXquadExampleId(input.exampleId) ? xquadTooLongMessage(err.message, input, model) : describeError(err.name, err.message, during);
      patchSlot(which, { status: 'error', progress: null, error: message, ready: slot.ready, partial: false });
    }
  }

  return {
    main: emptySlot(),
    compare: emptySlot(),
    inputProblem: null,

    async runAnalysis() {
      if (get().recorded) get().clearRecorded();
      let s = get();
      let r = resolveInput(s.page, xquadLookup);
      if ('needs' in r) {
        // an XQuAD item: fetch its languages' files first (the page may change meanwhile)
        const key = analysisKey(s.page, s.page.model, s.runtime);
        generation.main++;
        slots.main.cancel('analyze');
        set({ inputProblem: null });
        patchSlot('main', { status: 'loading', error: null, wantKey: key, progress: { phase: 'download', label: `XQuAD data (${r.needs.join(', ')})`, loaded: 0 } });
        const ok = await get().loadXquad(r.needs);
        s = get();
        if (analysisKey(s.page, s.page.model, s.runtime) !== key) return;
        if (!ok) {
          set({ inputProblem: s.xquad.error });
          patchSlot('main', { status: 'idle', progress: null });
          return;
        }
        r = resolveInput(s.page, xquadLookup);
      }
      if ('needs' in r) return;
      if ('problem' in r) {
        generation.main++;
        slots.main.cancel('analyze');
        set({ inputProblem: r.problem });
        patchSlot('main', { status: 'idle', progress: null });
        return;
      }
      set({ inputProblem: null });
      await runSlot('main', s.page.model, r.input, analysisKey(s.page, s.page.model, s.runtime));
    },

    async runCompare() {
      let s = get();
      const m = s.page.compare.model;
      let r = resolveInput(s.page, xquadLookup);
      if ('needs' in r) {
        const key = analysisKey(s.page, m, s.runtime);
        if (!(await get().loadXquad(r.needs))) return;
        s = get();
        if (analysisKey(s.page, m, s.runtime) !== key) return;
        r = resolveInput(s.page, xquadLookup);
      }
      if (!m || !('input' in r)) return;
      await runSlot('compare', m, r.input, analysisKey(s.page, m, s.runtime));
    },

    async completeLens() {
      const s = get();
      const r = s.main.result;
      const key = analysisKey(s.page, s.page.model, s.runtime);
      if (!r || s.recorded || s.main.resultKey !== key || !slots.main.isLoaded || r.lens.coverage === 'all') return;
      const gen = ++generation.main;
      const current = () => generation.main === gen;
      const tracker = new ProgressTracker();
      patchSlot('main', { status: 'running', error: null, progress: null, wantKey: key });
      try {
        await slots.main.fillLens(r.input, (msg) => {
          if (!current()) return;
          const p = tracker.update(msg);
          if (p) patchSlot('main', { progress: p });
          if (msg.type === 'analysis') {
            patchSlot('main', { result: msg.result, resultKey: key, partial: msg.partial });
            if (s.runtime.debug) exposeDebug(msg.result);
          }
        });
        if (current()) patchSlot('main', { status: 'done', progress: null, partial: false });
      } catch (e) {
        if (!current()) return;
        const err = e as Error & { during?: string };
        if (isCancelled(err)) {
          // keep the cells computed so far; nothing is pending any more
          const shown = get().main.result;
          const rest = shown ? (({ pending: _p, ...x }) => x)(shown) : null;
          patchSlot('main', { status: 'done', progress: null, partial: false, ...(rest ? { result: rest } : {}) });
        } else patchSlot('main', { status: 'error', progress: null, error: describeError(err.name, err.message, 'analyze'), partial: false });
      }
    },

    dismissError(which) {
      if (which === 'matrix') set((s) => ({ matrix: { ...s.matrix, error: null } }));
      else patchSlot(which, { error: null, status: get()[which].status === 'error' ? 'idle' : get()[which].status });
    },

    cancel(which) {
      // the matrix runs on the main model's worker
      if (which === 'matrix') {
        if (slots.main.busy('matrix')) slots.main.cancel('matrix');
        else if (!slots.main.isLoaded) slots.main.cancel('all');
        return;
      }
      slots[which].cancel(slots[which].isLoaded ? 'analyze' : 'all');
    },
  };
}
