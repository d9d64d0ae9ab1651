// Tolerance helpers for tests: relative error = max|a - b| / max|b|.

export function flatten(x: unknown): number[] {
  return Array.isArray(x) ? x.flatMap(flatten) : [x as number];
}

export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let md = 0;
  let mb = 0;
  for (let i = 0; i < b.length; i++) {
    md = Math.max(md, Math.abs(a[i] - b[i]));
    mb = Math.max(mb, Math.abs(b[i]));
  }
  return mb === 0 ? md : md / mb;
}
