// Draws of the page's heatmaps, spread over animation frames. A new result re-draws every view;
// drawn together in the task that delivered the result, they held the main thread for 100-150 ms
// (bench/first-paint.ts, main-thread table). Each queued draw runs in an animation frame, as many
// per frame as fit in about half a frame; a newer draw for the same view replaces its pending one.

type Job = () => void;

const pending = new Map<object, Job>();
let scheduled = false;
/** time per frame the queue may use, ms (a frame at 60 Hz is 16.7 ms) */
const BUDGET_MS = 8;

function run(): void {
  scheduled = false;
  const start = performance.now();
  for (const [key, job] of pending) {
    pending.delete(key);
    job();
    if (performance.now() - start > BUDGET_MS) break;
  }
  if (pending.size) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
  else setTimeout(run, 0);
}

/** queue `job` for the view `key`; the returned function drops it if it has not run yet */
export function queueDraw(key: object, job: Job): () => void {
  pending.delete(key); // re-queued at the end: views draw in the order they last asked
  pending.set(key, job);
  schedule();
  return () => {
    if (pending.get(key) === job) pending.delete(key);
  };
}

/** draws still waiting (tests) */
export function pendingDraws(): number {
  return pending.size;
}
