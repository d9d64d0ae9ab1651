// EngineSlot's handling of the two run-time failures, with a scripted stand-in for the worker:
// an error flagged `restart` (out of memory) retires the worker so the next request gets a
// fresh one, and a second `ready` mid-request (GPU device lost -> WASM) replaces `ready`.
import { describe, expect, it } from 'vitest';
import type { ModelSource } from '../engine/hub/source';
import type { ResultInput } from '../engine/result';
import { EngineError, EngineSlot, type EngineWorker } from './client';
import type { ReadyMessage, WorkerMessage, WorkerRequest } from './messages';

const SOURCE: ModelSource = { kind: 'hub', repo: 'xlens-fixtures/llama-tied-fp32', baseUrl: 'http://127.0.0.1:4174' };
const INPUT = { context: 'Maria lives in Lisbon.', question: 'Where?', answer: 'Lisbon', template: 'plain' } as unknown as ResultInput;
const OPTS = { knockout: false, relevance: false, window: null, maxNewTokens: 4 };

function ready(requestId: number, extra: Partial<ReadyMessage> = {}): ReadyMessage {
  return {
    type: 'ready',
    requestId,
    modelId: 'xlens-fixtures/llama-tied-fp32',
    spec: { family: 'llama', modelType: 'llama', numLayers: 2, numHeads: 4, numKvHeads: 4, headDim: 16, hiddenSize: 64, vocabSize: 352, tieWordEmbeddings: true },
    backend: 'webgpu',
    wasmThreads: 1,
    crossOriginIsolated: true,
    timings: { downloadMs: 1, buildMs: 1, sessionMs: 1, totalMs: 3 },
    hasChatTemplate: false,
    ...extra,
  };
}

/** fake workers: each records its requests; `reply` answers a request the way the test says */
function fakeWorkers(reply: (req: WorkerRequest, emit: (m: WorkerMessage) => void, index: number) => void) {
  const started: { sent: WorkerRequest[]; terminated: boolean }[] = [];
  const start = (onMessage: (m: WorkerMessage) => void): EngineWorker => {
    const w = { sent: [] as WorkerRequest[], terminated: false };
    const index = started.length;
    started.push(w);
    return {
      send: (req) => {
        w.sent.push(req);
        queueMicrotask(() => {
          if (!w.terminated) reply(req, onMessage, index);
        });
      },
      terminate: () => {
        w.terminated = true;
      },
    };
  };
  return { started, start };
}

describe('EngineSlot', () => {
  it('retires a worker that ran out of memory; the next request starts a fresh one', async () => {
    let analyses = 0;
    const { started, start } = fakeWorkers((req, emit) => {
      if (req.type === 'load') emit(ready(req.requestId, { backend: 'wasm' }));
      if (req.type === 'analyze' && analyses++ === 0) {
        emit({ type: 'error', requestId: req.requestId, during: 'analyze', name: 'OutOfMemoryError', message: 'Out of memory while …', restart: true });
      }
    });
    const slot = new EngineSlot(start as never);
    await slot.ensure(SOURCE, 'wasm', () => {});
    const err = await slot.analyze(INPUT, OPTS, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).name).toBe('OutOfMemoryError');
    expect(started[0].terminated).toBe(true);
    expect(slot.isLoaded).toBe(false);
    // what was loaded stays on show until the fresh worker is ready
    expect(slot.ready?.modelId).toBe('xlens-fixtures/llama-tied-fp32');
    await slot.ensure(SOURCE, 'wasm', () => {});
    expect(started).toHaveLength(2);
    expect(started[1].sent[0].type).toBe('load');
    expect(slot.isLoaded).toBe(true);
  });

  it('an ordinary analysis error keeps the worker', async () => {
    const { started, start } = fakeWorkers((req, emit) => {
      if (req.type === 'load') emit(ready(req.requestId));
      if (req.type === 'analyze') emit({ type: 'error', requestId: req.requestId, during: 'analyze', name: 'InputTooLongError', message: 'too long' });
    });
    const slot = new EngineSlot(start as never);
    await slot.ensure(SOURCE, 'auto', () => {});
    await expect(slot.analyze(INPUT, OPTS, () => {})).rejects.toThrow('too long');
    expect(started[0].terminated).toBe(false);
    expect(slot.isLoaded).toBe(true);
  });

  it('a second ready during a request (GPU device lost) replaces ready and reaches the listener', async () => {
    const loss = { reason: 'destroyed', message: 'Device was destroyed.' };
    const { start } = fakeWorkers((req, emit) => {
      if (req.type === 'load') emit(ready(req.requestId));
      if (req.type === 'analyze') {
        emit(ready(req.requestId, { backend: 'wasm', fallbackReason: 'the GPU device was lost', deviceLost: loss }));
        emit({ type: 'analysis', requestId: req.requestId, result: { backend: 'wasm' } as never, partial: false });
      }
    });
    const slot = new EngineSlot(start as never);
    expect((await slot.ensure(SOURCE, 'webgpu', () => {})).backend).toBe('webgpu');
    const seen: WorkerMessage[] = [];
    await slot.analyze(INPUT, OPTS, (m) => seen.push(m));
    expect(slot.ready?.backend).toBe('wasm');
    expect(slot.ready?.deviceLost).toEqual(loss);
    expect(seen.map((m) => m.type)).toEqual(['ready', 'analysis']);
    // the same worker serves the next request
    expect((await slot.ensure(SOURCE, 'webgpu', () => {})).backend).toBe('wasm');
  });
});
