// UI-side handle on the engine worker: typed send, typed receive, hard stop.
import type { WorkerMessage, WorkerRequest } from './messages';

export interface EngineWorker {
  send(req: WorkerRequest): void;
  terminate(): void;
}

export function startEngineWorker(onMessage: (msg: WorkerMessage) => void, onCrash: (message: string) => void): EngineWorker {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'xlens-engine' });
  worker.onmessage = (ev: MessageEvent<WorkerMessage>) => onMessage(ev.data);
  worker.onerror = (ev: ErrorEvent) => {
    ev.preventDefault();
    onCrash(ev.message || 'The engine worker failed to start.');
  };
  worker.onmessageerror = () => onCrash('A message from the engine worker could not be read.');
  return {
    send: (req) => worker.postMessage(req),
    terminate: () => worker.terminate(),
  };
}
