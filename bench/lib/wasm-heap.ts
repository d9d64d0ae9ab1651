// The size of onnxruntime-web's WASM heap in this process: WebAssembly.Memory is wrapped so every
// memory created after the call is seen (call it before onnxruntime-web creates its memory). A
// WASM heap only grows, so its size is also its peak.

export function watchWasmHeap(): () => number {
  const memories: WebAssembly.Memory[] = [];
  const Original = WebAssembly.Memory;
  const Hooked = function (this: unknown, d: WebAssembly.MemoryDescriptor) {
    const m = new Original(d);
    memories.push(m);
    return m;
  } as unknown as typeof WebAssembly.Memory;
  Hooked.prototype = Original.prototype;
  (WebAssembly as { Memory: typeof WebAssembly.Memory }).Memory = Hooked;
  return () => Math.max(0, ...memories.map((m) => m.buffer.byteLength));
}
