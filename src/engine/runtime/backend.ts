// Backend names as the UI shows them. 'auto' tries WebGPU first and falls back to WASM.
export type Backend = 'webgpu' | 'wasm';
export type BackendChoice = Backend | 'auto';
