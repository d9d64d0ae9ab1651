import type { AnalysisResult } from '../engine/result';
import type { ReadyMessage } from '../worker/messages';

const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);

export function RunInfo({ ready, result }: { ready: ReadyMessage | null; result: AnalysisResult | null }) {
  if (!ready) return null;
  const sp = ready.spec;
  const t = result?.timings;
  return (
    <section className="run-info" aria-label="Model and timings">
      <dl>
        <div>
          <dt>Model</dt>
          <dd data-testid="model-id">
            {ready.modelId}{' '}
            <span className="muted">
              ({sp.modelType}, {sp.numLayers} layers, {sp.numHeads} heads, d={sp.hiddenSize}, vocab {sp.vocabSize})
            </span>
          </dd>
        </div>
        <div>
          <dt>Backend</dt>
          <dd>
            <span className="badge" data-testid="backend-in-use" data-backend={ready.backend}>
              {ready.backend === 'webgpu' ? 'WebGPU' : 'WASM'}
            </span>
            {ready.backend === 'wasm' && (
              <span className="muted">
                {' '}
                {ready.wasmThreads} thread{ready.wasmThreads === 1 ? '' : 's'}
                {ready.crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}
              </span>
            )}
            {ready.fallbackReason && (
              <span className="fallback" data-testid="fallback-reason">
                {' '}
                — fell back to WASM: {ready.fallbackReason}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Load</dt>
          <dd data-testid="load-timings">
            download {ms(ready.timings.downloadMs)} · build {ms(ready.timings.buildMs)} · session {ms(ready.timings.sessionMs)}
          </dd>
        </div>
        {t && result && (
          <div>
            <dt>Run</dt>
            <dd data-testid="run-timings">
              {result.prompt.tokens.length} tokens · forward {ms(t.forwardMs)} · generate {ms(t.generateMs)}
              {t.knockoutMs !== undefined && ` · knockout ${ms(t.knockoutMs)}`}
              {t.relevanceMs !== undefined && ` · relevance ${ms(t.relevanceMs)}`}
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
}
