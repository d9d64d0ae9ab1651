import { useId } from 'react';
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
