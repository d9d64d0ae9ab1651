import type { AnalysisResult } from '../engine/result';
import type { ReadyMessage } from '../worker/messages';
import { modelName } from '../viz/common/model-name';

const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const bytes = (b: number) => (b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(1)} GiB` : b >= 2 ** 20 ? `${Math.round(b / 2 ** 20)} MiB` : `${Math.max(1, Math.round(b / 2 ** 10))} KiB`);

export function RunInfo({ ready, result }: { ready: ReadyMessage | null; result: AnalysisResult | null }) {
  if (!ready) return null;
  const sp = ready.spec;
  const t = result?.timings;
  return (
    <section className="run-info" aria-label="Model and timings">
      <dl>
        <div>
          <dt>Model</dt>
          <dd data-testid="model-id" title={ready.modelId}>
            {modelName(ready.modelId)}{' '}
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
            {(ready.weightFormat === 'int8' || ready.weightFormat === 'fp16' || ready.weightFallbackReason) && (
              <span data-testid="weights-in-use" data-weights={ready.weightFormat ?? 'fp32'}>
                {' '}
                <span className="badge">{ready.weightFormat ?? 'fp32'} weights</span>
                {(ready.weightFormat === 'int8' || ready.weightFormat === 'fp16') && ready.fp32WeightBytes !== undefined && <span className="muted"> (fp32 would need {bytes(ready.fp32WeightBytes)})</span>}
                {ready.weightFallbackReason && (
                  <span className="fallback" data-testid="weights-fallback-reason">
                    {' '}
                    — {ready.weightFallbackReason}
                  </span>
                )}
              </span>
            )}
            {ready.fallbackReason &&
              (ready.deviceLost ? (
                // lost mid-session: announced, since it changes what runs from now on
                <span className="fallback" role="alert" data-testid="fallback-reason" data-device-lost={ready.deviceLost.reason}>
                  {' '}
                  — {ready.fallbackReason}
                </span>
              ) : (
                <span className="fallback" data-testid="fallback-reason">
                  {' '}
                  — fell back to WASM: {ready.fallbackReason}
                </span>
              ))}
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
