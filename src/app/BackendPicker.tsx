import { useId } from 'react';
import type { WeightChoice } from '../engine/arch/size';
import type { BackendChoice } from '../engine/runtime/backend';
import { useAppStore } from '../state/store';

const LABELS: Record<BackendChoice, string> = {
  auto: 'Auto (WebGPU, else WASM)',
  webgpu: 'WebGPU',
  wasm: 'WASM (CPU)',
};

export function BackendPicker() {
  const backend = useAppStore((s) => s.page.backend);
  const setPage = useAppStore((s) => s.setPage);
  const id = useId();
  return (
    <div className="field backend-picker">
      <label htmlFor={id}>Backend</label>
      <select id={id} value={backend} onChange={(e) => setPage({ backend: e.target.value as BackendChoice })} data-testid="backend">
        {(Object.keys(LABELS) as BackendChoice[]).map((b) => (
          <option key={b} value={b}>
            {LABELS[b]}
          </option>
        ))}
      </select>
    </div>
  );
}

const WEIGHT_LABELS: Record<WeightChoice, string> = {
  auto: 'Auto (fp32, int8 if too large)',
  fp32: 'fp32',
  int8: 'int8 (quantised at load)',
};

/** weight format of the model (docs/int8.md); the run info says which one runs */
export function WeightsPicker() {
  const weights = useAppStore((s) => s.page.weights);
  const setPage = useAppStore((s) => s.setPage);
  const id = useId();
  return (
    <div className="field backend-picker">
      <label htmlFor={id}>Weights</label>
      <select id={id} value={weights} onChange={(e) => setPage({ weights: e.target.value as WeightChoice })} data-testid="weights">
        {(Object.keys(WEIGHT_LABELS) as WeightChoice[]).map((w) => (
          <option key={w} value={w}>
            {WEIGHT_LABELS[w]}
          </option>
        ))}
      </select>
    </div>
  );
}
