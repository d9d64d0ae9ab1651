// Cancelling the worker's runs: the Cancel message aborts the run in flight, whose signal every
// stage checks (`signal.throwIfAborted()` throws the Cancelled reason).

export class Cancelled extends Error {
  constructor() {
    super('Cancelled');
  }
}

/** a user's cancel, however it surfaced (our reason, or an AbortError from fetch or a stage) */
export const isCancel = (e: unknown): boolean => e instanceof Cancelled || (e instanceof Error && e.name === 'AbortError');

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/** the one run in flight (analyze, fill-lens or matrix) and its abort controller */
export class CurrentRun {
  private ctl: AbortController | null = null;

  /** runs `fn` with a signal that `abort()` aborts while `fn` runs */
  async run<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ctl = new AbortController();
    this.ctl = ctl;
    try {
      return await fn(ctl.signal);
    } finally {
      if (this.ctl === ctl) this.ctl = null;
    }
  }

  /** cancel the run in flight, if any */
  abort(): void {
    this.ctl?.abort(new Cancelled());
  }
}
