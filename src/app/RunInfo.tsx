import { useAppStore } from '../state/store';

const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);

export function RunInfo() {
  const loaded = useAppStore((s) => s.loaded);
  const result = useAppStore((s) => s.result);
  if (!loaded) return null;
  const sp = loaded.spec;
  return (
    <section className="run-info" aria-label="Model and timings">
      <dl>
        <div>
          <dt>Model</dt>
          <dd data-testid="model-id">
            {loaded.modelId} <span className="muted">({sp.modelType}, {sp.numLayers} layers, {sp.numHeads} heads, d={sp.hiddenSize}, vocab {sp.vocabSize})</span>
          </dd>
        </div>
        <div>
          <dt>Backend</dt>
          <dd>
            <span className="badge" data-testid="backend-in-use" data-backend={loaded.backend}>
              {loaded.backend === 'webgpu' ? 'WebGPU' : 'WASM'}
            </span>
            {loaded.backend === 'wasm' && (
              <span className="muted">
                {' '}
                {loaded.wasmThreads} thread{loaded.wasmThreads === 1 ? '' : 's'}
                {loaded.crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}
              </span>
            )}
            {loaded.fallbackReason && (
              <span className="fallback" data-testid="fallback-reason">
                {' '}
                — fell back to WASM: {loaded.fallbackReason}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Load</dt>
          <dd data-testid="load-timings">
            download {ms(loaded.timings.downloadMs)} · build {ms(loaded.timings.buildMs)} · session {ms(loaded.timings.sessionMs)}
          </dd>
        </div>
        {result && (
          <div>
            <dt>Run</dt>
            <dd data-testid="run-timings">
              {result.inputIds.length} tokens · forward {ms(result.timings.forwardMs)} · lens {ms(result.timings.lensMs)} · generate{' '}
              {ms(result.timings.generateMs)} ({result.generatedIds.length} tokens)
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
}
