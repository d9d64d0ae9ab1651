import { useEffect, useId, useState } from 'react';
import type { WeightChoice } from '../engine/arch/size';
import type { BackendChoice } from '../engine/runtime/backend';
import { fp16Unavailable, webgpuAdapterInfo, type WebgpuAdapterInfo } from '../engine/runtime/session';
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
  auto: 'Auto (fp16 on WebGPU with shader-f16, else fp32; int8 if too large)',
  fp32: 'fp32',
  fp16: 'fp16 (WebGPU with shader-f16)',
  int8: 'int8 (quantised at load: ~¼ of the memory, faster on WASM, less exact)',
};

/** the WebGPU adapter's features, asked once per page; null until known */
function useWebgpuAdapter(): WebgpuAdapterInfo | null {
  const [info, setInfo] = useState<WebgpuAdapterInfo | null>(null);
  useEffect(() => {
    let live = true;
    void webgpuAdapterInfo().then((i) => live && setInfo(i));
    return () => {
      live = false;
    };
  }, []);
  return info;
}

/** weight format of the model (docs/weights.md); the run info says which one runs */
export function WeightsPicker() {
  const weights = useAppStore((s) => s.page.weights);
  const backend = useAppStore((s) => s.page.backend);
  const setPage = useAppStore((s) => s.setPage);
  const gpu = useWebgpuAdapter();
  const id = useId();
  // the worker asks its own adapter the same question; this one only explains the option
  const noFp16 = backend === 'wasm' || gpu ? fp16Unavailable(backend, gpu) : null;
  const short = backend === 'wasm' ? 'WebGPU only' : gpu?.missing ? 'no WebGPU' : 'no shader-f16';
  return (
    <div className="field backend-picker">
      <label htmlFor={id}>Weights</label>
      <select id={id} value={weights} onChange={(e) => setPage({ weights: e.target.value as WeightChoice })} data-testid="weights">
        {(Object.keys(WEIGHT_LABELS) as WeightChoice[]).map((w) =>
          w === 'fp16' && noFp16 ? (
            <option key={w} value={w} disabled title={noFp16}>
              fp16 (unavailable: {short})
            </option>
          ) : (
            <option key={w} value={w}>
              {WEIGHT_LABELS[w]}
            </option>
          ),
        )}
      </select>
      {weights === 'fp16' && noFp16 && (
        <span className="muted" data-testid="weights-unavailable">
          {noFp16}; the weights load as auto picks them
        </span>
      )}
    </div>
  );
}
