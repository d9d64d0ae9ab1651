// Weight-only int8: symmetric per-output-channel quantisation of a checkpoint's [out, in]
// matrices, done in the browser at load time (docs/weights.md).
//
// Definition, per row r (one output channel; for the embedding one token):
//   m_r = max_j |w_rj|,  s_r = fp32(m_r / 127),  q_rj = round_half_even(w_rj / s_r) in [-127, 127]
// computed exactly: the quotient w/s is rounded as the exact rational, ties to the even integer
// (as onnxruntime's QuantizeLinear and torch.round do). Hence |w_rj - q_rj s_r| <= s_r / 2 exactly
// (q s is the real product; onnxruntime's DequantizeLinear returns it rounded to fp32).
// An all-zero row has s = 0 and q = 0 (dequantises to exactly 0). A row whose m/127 underflows
// fp32 gets the smallest positive fp32 as its scale, so the bound still holds.

export interface QuantizedMatrix {
  /** [rows * cols], row-major like the input */
  q: Int8Array;
  /** [rows] fp32 scale of each row */
  scale: Float32Array;
  rows: number;
  cols: number;
}

const MIN_SUBNORMAL_F32 = 2 ** -149;

/** symmetric per-row int8 of a row-major [rows, cols] fp32 matrix (definition above) */
export function quantizeRows(w: Float32Array, rows: number, cols: number): QuantizedMatrix {
  if (w.length !== rows * cols) throw new Error(`quantizeRows: ${w.length} values, expected ${rows}x${cols}`);
  const q = new Int8Array(rows * cols);
  const scale = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    let m = 0;
    for (let j = 0; j < cols; j++) {
      const a = Math.abs(w[off + j]);
      if (!(a <= 3.4028234663852886e38)) throw new Error(`quantizeRows: row ${r} holds a non-finite value (${w[off + j]})`);
      if (a > m) m = a;
    }
    if (m === 0) continue; // s = 0, q = 0
    const s = Math.max(Math.fround(m / 127), MIN_SUBNORMAL_F32);
    scale[r] = s;
    const inv = 1 / s;
    for (let j = 0; j < cols; j++) {
      // fast path: w * (1/s) in double is within ~1e-13 of the exact quotient (|w/s| <= 127), so
      // unless it lies within 1e-9 of a half-integer, floor(x + 1/2) is the nearest integer and no tie
      // is involved (floor is several times faster than Math.round in V8); else the exact rounding
      const x = w[off + j] * inv;
      const k = Math.floor(x + 0.5);
      const dk = x - k;
      q[off + j] = dk < 0.5 - 1e-9 && dk > -0.5 + 1e-9 ? k : roundQuotientHalfEven(w[off + j], s);
    }
  }
  return { q, scale, rows, cols };
}

/**
 * round_half_even(w / s) for fp32 w and s > 0, exactly. The double quotient is off by at most one
 * near a tie; w - k s is exact in double (w has 24 significant bits, k s at most 32, and
 * |w - k s| <= s unless k = 0, where it is w itself), so the residual decides.
 */
export function roundQuotientHalfEven(w: number, s: number): number {
  let k = Math.round(w / s);
  // move k to the integer nearest the exact quotient
  for (let i = 0; i < 2; i++) {
    const r = w - k * s; // exact
    if (r > s / 2) k += 1;
    else if (r < -s / 2) k -= 1;
    else {
      if ((r === s / 2 || r === -s / 2) && k % 2 !== 0) k += r > 0 ? 1 : -1; // tie: to even
      break;
    }
  }
  return Math.max(-127, Math.min(127, k)) + 0; // + 0: never -0
}

/** fp32 values onnxruntime's DequantizeLinear(q, scale, axis=0) returns: fp32(q * s) */
export function dequantizeRows(m: QuantizedMatrix): Float32Array {
  const out = new Float32Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) {
    const s = m.scale[r];
    for (let j = 0; j < m.cols; j++) out[r * m.cols + j] = m.q[r * m.cols + j] * s;
  }
  return out;
}

/** the [cols, rows] transpose of a row-major [rows, cols] int8 matrix (tiled, so large matrices stay cache-friendly) */
export function transposeInt8(q: Int8Array, rows: number, cols: number): Int8Array {
  if (q.length !== rows * cols) throw new Error(`transposeInt8: ${q.length} values, expected ${rows}x${cols}`);
  const out = new Int8Array(rows * cols);
  const B = 64;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      // contiguous writes, reads strided within the tile (measured faster in V8 than the other way round)
      for (let c = c0; c < c1; c++) {
        const o = c * rows;
        for (let r = r0; r < r1; r++) out[o + r] = q[r * cols + c];
      }
    }
  }
  return out;
}
