// The int8 quantiser against its definition (quantize.ts), checked in exact rational
// arithmetic (BigInt) so the reference cannot share the implementation's floating-point shortcuts.

import { describe, expect, it } from 'vitest';
import { dequantizeRows, quantizeRows, roundQuotientHalfEven, transposeInt8 } from './quantize';

/** a finite double as mantissa * 2^exp, exactly */
function exact(x: number): { m: bigint; e: number } {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const bits = dv.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const be = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  if (be === 0x7ff) throw new Error('not finite');
  return be === 0 ? { m: sign * frac, e: -1074 } : { m: sign * (frac | (1n << 52n)), e: be - 1075 };
}

/** a/b and c as integers over a common power of two */
function common(a: number, b: number): [bigint, bigint] {
  const x = exact(a);
  const y = exact(b);
  const e = Math.min(x.e, y.e);
  return [x.m << BigInt(x.e - e), y.m << BigInt(y.e - e)];
}

/** round_half_even(a / b), b > 0, as the exact rational */
function refRound(a: number, b: number): number {
  const [n, d] = common(a, b);
  const neg = n < 0n;
  const an = neg ? -n : n;
  let q = an / d;
  const r2 = 2n * (an - q * d);
  if (r2 > d || (r2 === d && q % 2n === 1n)) q += 1n;
  return Number(neg ? -q : q);
}

/** 2 |w - q s| <= s, exactly */
function withinHalfStep(w: number, q: number, s: number): boolean {
  const [nw, ns] = common(w, s);
  const diff = nw - BigInt(q) * ns;
  return 2n * (diff < 0n ? -diff : diff) <= ns;
}

/** deterministic pseudo-random fp32 values of mixed magnitudes */
function randomRows(rows: number, cols: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const w = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const mag = 10 ** (-6 + 7 * rnd()); // rows from ~1e-6 to ~10
    for (let j = 0; j < cols; j++) w[r * cols + j] = (rnd() - 0.5) * mag * (rnd() < 0.05 ? 20 : 1);
  }
  return w;
}

describe('quantizeRows (symmetric per-row int8, round half to even)', () => {
  it('matches the definition exactly on random rows', () => {
    const rows = 64;
    const cols = 97;
    const w = randomRows(rows, cols, 7);
    const { q, scale } = quantizeRows(w, rows, cols);
    for (let r = 0; r < rows; r++) {
      let m = 0;
      for (let j = 0; j < cols; j++) m = Math.max(m, Math.abs(w[r * cols + j]));
      // fp32(m / 127): rounding through double first is innocuous for a quotient (53 >= 2*24 + 2)
      expect(scale[r]).toBe(Math.fround(m / 127));
      let hit127 = false;
      for (let j = 0; j < cols; j++) {
        const i = r * cols + j;
        expect(q[i]).toBe(refRound(w[i], scale[r]));
        expect(withinHalfStep(w[i], q[i], scale[r])).toBe(true);
        if (Math.abs(q[i]) === 127) hit127 = true;
      }
      expect(hit127).toBe(true); // the row's largest |w| maps to ±127
    }
  });

  it('rounds ties to the even integer', () => {
    const u = 2 ** -7; // m = 127 u makes s = u exactly, so w / s is exact
    const w = Float32Array.of(127 * u, 2.5 * u, 3.5 * u, -2.5 * u, -3.5 * u, 0.5 * u, -0.5 * u, 1.5 * u, -1.5 * u, 126.5 * u);
    const { q, scale } = quantizeRows(w, 1, w.length);
    expect(scale[0]).toBe(u);
    expect(Array.from(q)).toEqual([127, 2, 4, -2, -4, 0, 0, 2, -2, 126]);
    expect(roundQuotientHalfEven(5, 2)).toBe(2);
    expect(roundQuotientHalfEven(7, 2)).toBe(4);
    expect(roundQuotientHalfEven(-7, 2)).toBe(-4);
  });

  it('decides quotients that the double division puts on the wrong side of a tie', () => {
    // w = (k + 1/2) s -/+ one fp32 ulp of w: never a tie, whatever the double quotient says
    const s = Math.fround(0.8 / 127);
    const row = [0.8];
    for (let k = 0; k < 127; k++) {
      const t = (k + 0.5) * s; // exact in double, not in fp32
      for (const w of [Math.fround(t), nextF32(Math.fround(t), -1), nextF32(Math.fround(t), 1)]) {
        expect(roundQuotientHalfEven(w, s)).toBe(refRound(w, s));
        expect(roundQuotientHalfEven(-w, s)).toBe(refRound(-w, s));
        row.push(w, -w);
      }
    }
    // the same values through quantizeRows (its fast path)
    const m = quantizeRows(Float32Array.from(row), 1, row.length);
    expect(m.scale[0]).toBe(s);
    expect(Array.from(m.q)).toEqual(Array.from(Float32Array.from(row), (w) => refRound(w, s)));
  });

  it('all-zero rows: scale 0, q 0, dequantised to exactly 0', () => {
    const w = Float32Array.of(0, 0, 0, 1, -2, 0.5, -0, 0, 0);
    const m = quantizeRows(w, 3, 3);
    expect(Array.from(m.scale)).toEqual([0, Math.fround(2 / 127), 0]);
    expect(Array.from(m.q.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(m.q.subarray(6))).toEqual([0, 0, 0]);
    expect(Array.from(m.q.subarray(3, 6))).toEqual([refRound(1, m.scale[1]), -127, refRound(0.5, m.scale[1])]);
    const deq = dequantizeRows(m);
    expect(Array.from(deq.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(deq.subarray(6))).toEqual([0, 0, 0]);
  });

  it('keeps the half-step bound on rows whose max / 127 underflows fp32', () => {
    const tiny = 2 ** -149; // smallest positive fp32
    const w = Float32Array.of(tiny, -3 * tiny, 0);
    const m = quantizeRows(w, 1, 3);
    expect(m.scale[0]).toBe(tiny);
    expect(Array.from(m.q)).toEqual([1, -3, 0]);
    for (let j = 0; j < 3; j++) expect(withinHalfStep(w[j], m.q[j], m.scale[0])).toBe(true);
  });

  it('dequantises to fp32(q * s), within s/2 (+ the fp32 rounding of the product) of w', () => {
    const rows = 16;
    const cols = 33;
    const w = randomRows(rows, cols, 11);
    const m = quantizeRows(w, rows, cols);
    const deq = dequantizeRows(m);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        const i = r * cols + j;
        expect(deq[i]).toBe(Math.fround(m.q[i] * m.scale[r]));
        expect(Math.abs(w[i] - deq[i])).toBeLessThanOrEqual(m.scale[r] / 2 + Math.abs(deq[i]) * 2 ** -24);
      }
    }
  });

  it('refuses non-finite weights and a wrong size', () => {
    expect(() => quantizeRows(Float32Array.of(1, NaN), 1, 2)).toThrow(/non-finite/);
    expect(() => quantizeRows(Float32Array.of(1, Infinity), 1, 2)).toThrow(/non-finite/);
    expect(() => quantizeRows(Float32Array.of(1, 2, 3), 2, 2)).toThrow(/expected 2x2/);
  });
});

describe('transposeInt8', () => {
  it('transposes row-major [rows, cols] to [cols, rows], across tile edges', () => {
    for (const [rows, cols] of [[1, 1], [3, 130], [65, 64], [129, 7]]) {
      const q = Int8Array.from({ length: rows * cols }, (_, i) => ((i * 37) % 255) - 127);
      const t = transposeInt8(q, rows, cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expect(t[c * rows + r]).toBe(q[r * cols + c]);
    }
    expect(() => transposeInt8(new Int8Array(5), 2, 2)).toThrow(/expected 2x2/);
  });
});

function nextF32(x: number, dir: 1 | -1): number {
  const f = new Float32Array([x]);
  const u = new Int32Array(f.buffer);
  u[0] += x > 0 === dir > 0 ? 1 : -1;
  return f[0];
}
