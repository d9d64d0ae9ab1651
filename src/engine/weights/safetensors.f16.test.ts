// fp32 -> fp16 rounding (safetensors.ts: floatToHalf, f32ToF16) against an independent reference:
// the nearest of all finite halves, found by binary search over their values in double precision
// (exact: fp32 and fp16 values and the midpoints between halves are all doubles), ties to the even
// significand, and overflow to inf from 65520 = 65504 + half an ulp on (IEEE 754 round to nearest even).

import { describe, expect, it } from 'vitest';
import { f16ToF32, f32ToF16, floatToHalf, halfToFloat } from './safetensors';

/** the 0x7c00 non-negative finite halves in increasing order (bit pattern = index) */
const HALVES = Float64Array.from({ length: 0x7c00 }, (_, h) => halfToFloat(h));
const MAX_HALF = 65504;

function refHalf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= MAX_HALF + 16) return sign | 0x7c00;
  if (a >= MAX_HALF) return sign | 0x7bff;
  let lo = 0;
  let hi = HALVES.length - 1;
  while (hi - lo > 1) {
    const m = (lo + hi) >> 1;
    if (HALVES[m] <= a) lo = m;
    else hi = m;
  }
  const dLo = a - HALVES[lo];
  const dHi = HALVES[hi] - a;
  const h = dLo < dHi ? lo : dHi < dLo ? hi : lo % 2 === 0 ? lo : hi;
  return sign | h;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const fromBits = (u: number) => {
  u32[0] = u;
  return f32[0];
};
const bitsOf = (x: number) => {
  f32[0] = x;
  return u32[0];
};

/** f32ToF16 and floatToHalf against the reference, bit for bit (NaN: any NaN); lists the first mismatches */
function check(xs: number[]): void {
  const got = f32ToF16(Float32Array.from(xs));
  const bad: string[] = [];
  for (let i = 0; i < xs.length && bad.length < 5; i++) {
    const want = refHalf(xs[i]);
    const ok = Number.isNaN(want) ? Number.isNaN(halfToFloat(got[i])) : got[i] === want && floatToHalf(xs[i]) === want;
    if (!ok) bad.push(`${xs[i]} (0x${bitsOf(xs[i]).toString(16)}) -> 0x${got[i].toString(16)}, want 0x${want.toString(16)}`);
  }
  expect(bad).toEqual([]);
}

describe('fp32 -> fp16 round to nearest even', () => {
  it('every half round-trips exactly', () => {
    const all = Uint16Array.from({ length: 0x10000 }, (_, h) => h);
    const back = f32ToF16(f16ToF32(all));
    const isNaN16 = (h: number) => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
    const bad = [...all].filter((h) => (isNaN16(h) ? !isNaN16(back[h]) : back[h] !== h));
    expect(bad).toEqual([]);
  });

  it('midpoints between neighbouring halves (ties) and the fp32 values next to them, both signs', () => {
    const xs: number[] = [];
    for (let h = 0; h < 0x7bff; h++) {
      const mid = (HALVES[h] + HALVES[h + 1]) / 2; // exact in fp32
      expect(Math.fround(mid)).toBe(mid);
      const b = bitsOf(mid);
      for (const u of [b - 1, b, b + 1]) xs.push(fromBits(u), -fromBits(u));
    }
    check(xs);
    // the ties themselves go to the even neighbour
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it('subnormal halves, underflow to zero and the carry into the smallest normal', () => {
    expect(floatToHalf(2 ** -24)).toBe(0x0001);
    expect(floatToHalf(2 ** -25)).toBe(0x0000); // tie -> even 0
    expect(floatToHalf(-(2 ** -25))).toBe(0x8000);
    expect(floatToHalf(Math.fround(2 ** -25 * (1 + 2 ** -23)))).toBe(0x0001);
    expect(floatToHalf(3 * 2 ** -25)).toBe(0x0002); // 1.5 units -> even 2
    expect(floatToHalf(5 * 2 ** -25)).toBe(0x0002); // 2.5 units -> even 2
    expect(floatToHalf(2 ** -14 - 2 ** -26)).toBe(0x0400); // rounds up into the smallest normal
    expect(floatToHalf(2 ** -14 - 2 ** -25)).toBe(0x0400); // tie between 0x3ff and 0x400 -> even 0x400
    expect(floatToHalf(fromBits(1))).toBe(0); // smallest fp32 subnormal
    expect(floatToHalf(-fromBits(0x007fffff))).toBe(0x8000);
    check(Array.from({ length: 4096 }, (_, i) => fromBits(0x33000000 + i * 0x5800b)));
  });

  it('overflow: up to 65520 rounds to 65504, from 65520 on to inf; inf and NaN stay', () => {
    expect(floatToHalf(65504)).toBe(0x7bff);
    expect(floatToHalf(Math.fround(65519.99))).toBe(0x7bff);
    expect(floatToHalf(65520)).toBe(0x7c00);
    expect(floatToHalf(-65520)).toBe(0xfc00);
    expect(floatToHalf(1e30)).toBe(0x7c00);
    expect(floatToHalf(Infinity)).toBe(0x7c00);
    expect(floatToHalf(-Infinity)).toBe(0xfc00);
    expect(halfToFloat(floatToHalf(NaN))).toBeNaN();
    expect(floatToHalf(-0)).toBe(0x8000);
  });

  it('random fp32 bit patterns over the whole range, and typical weights', () => {
    let seed = 12345;
    const rnd = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed;
    };
    check(Array.from({ length: 200_000 }, () => fromBits(rnd())));
    // weights: mostly |w| < 1, with the exponents where fp16 loses most bits
    check(Array.from({ length: 200_000 }, () => fromBits((rnd() & 0x807fffff) | ((100 + (rnd() % 40)) << 23))));
  });

  it('f32ToF16 reads a view with an offset', () => {
    const buf = Float32Array.of(7, 1.5, -2.25, 65536);
    expect(Array.from(f32ToF16(buf.subarray(1, 3)))).toEqual([0x3e00, 0xc080]);
  });
});
