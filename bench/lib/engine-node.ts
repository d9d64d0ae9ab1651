// The engine in Node on onnxruntime-web (the same WASM kernels the browser runs).
import * as ortWeb from 'onnxruntime-web';
import type { WeightChoice } from '../../src/engine/arch/size';
import { loadModel, type LoadedModel } from '../../src/engine/model';

export const NODE_WASM_THREADS = Number(process.env.XLENS_BENCH_NODE_THREADS ?? 1);

export function nodeOrt(): typeof ortWeb {
  ortWeb.env.wasm.numThreads = NODE_WASM_THREADS;
  ortWeb.env.logLevel = 'error';
  return ortWeb;
}

export function loadNodeEngine(dir: string, opts: { weights?: WeightChoice } = {}): Promise<LoadedModel> {
  return loadModel({ kind: 'dir', path: dir }, { ort: nodeOrt(), backend: 'wasm', weights: opts.weights });
}
