// Comparing two models on the same input. When their depths differ, layers are aligned by
// relative depth: layer l of a model with L layers sits at depth l / L, and every row of
// model A is compared with the row of model B at the nearest relative depth.

/** for each layer 0..La of model A, the layer of model B (0..Lb) at the nearest relative depth */
export function alignLayers(La: number, Lb: number): number[] {
  return Array.from({ length: La + 1 }, (_, l) => (La === 0 ? 0 : Math.round((l / La) * Lb)));
}

/** B - A on a layers x positions grid (rows of B picked by relative depth; same prompt, same columns) */
export function diffGrid(a: number[][], b: number[][]): number[][] {
  const La = a.length - 1;
  const Lb = b.length - 1;
  const map = alignLayers(La, Lb);
  return a.map((row, l) => {
    const other = b[map[l]];
    if (other.length !== row.length) throw new Error('the two grids have different numbers of positions (different tokenizers?)');
    return row.map((x, t) => other[t] - x);
  });
}
