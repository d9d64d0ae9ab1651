// Cancellation points. onnxruntime's WASM kernels run synchronously inside `session.run`, so a long
// job (a pair matrix, a knockout sweep, the lens in blocks) never returns to its thread's event loop
// between runs: a worker would only read the user's Cancel message after the whole job. A checkpoint
// lets the queued events run first (a macrotask turn), then throws if the run was cancelled.

/** yield to the event loop, then throw the signal's reason if it was aborted */
export async function checkpoint(signal?: AbortSignal): Promise<void> {
  if (!signal) return;
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  if (signal.aborted) throw signal.reason ?? new Error('cancelled');
}
