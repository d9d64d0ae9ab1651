// The draw queue: one pending draw per view (the newest wins), cancellable, and drained over
// several frames when the draws take longer than the per-frame budget.
import { describe, expect, it } from 'vitest';
import { pendingDraws, queueDraw } from './frame-queue';

const frame = () => new Promise((r) => setTimeout(r, 5)); // Node has no requestAnimationFrame: the queue uses setTimeout

describe('queueDraw', () => {
  it('runs only the newest draw of a view, in a later task, and drops cancelled ones', async () => {
    const a = {};
    const b = {};
    const ran: string[] = [];
    queueDraw(a, () => ran.push('a1'));
    queueDraw(a, () => ran.push('a2'));
    const cancelB = queueDraw(b, () => ran.push('b1'));
    expect(ran).toEqual([]); // nothing in the caller's task
    cancelB();
    await frame();
    expect(ran).toEqual(['a2']);
    expect(pendingDraws()).toBe(0);
  });

  it('spreads draws over frames once a frame has used its budget', async () => {
    const ran: number[] = [];
    const busy = (ms: number) => {
      const t = performance.now();
      while (performance.now() - t < ms);
    };
    for (let i = 0; i < 3; i++) queueDraw({}, () => (busy(10), ran.push(i)));
    await frame();
    expect(ran).toEqual([0]); // 10 ms > the 8 ms budget: the rest waits for the next frame
    await frame();
    await frame();
    expect(ran).toEqual([0, 1, 2]);
  });
});
