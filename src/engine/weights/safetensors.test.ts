import { describe, expect, it } from 'vitest';
import { bf16ToF32, f16ToF32, f32ToF16, floatToHalf, halfToFloat, parseSafetensors, SafetensorsError, tensorToF32 } from './safetensors';

function makeFile(tensors: Record<string, { dtype: string; shape: number[]; bytes: Uint8Array }>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let off = 0;
  for (const [k, t] of Object.entries(tensors)) {
    header[k] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + t.bytes.length] };
    off += t.bytes.length;
  }
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  let o = 8 + h.length;
  for (const t of Object.values(tensors)) {
    out.set(t.bytes, o);
    o += t.bytes.length;
  }
  return out;
}

describe('safetensors', () => {
  const f32 = Float32Array.of(1.5, -2.25, 3e-8, 65504);
  const bf = new Uint16Array(f32.length);
  new Uint32Array(f32.buffer).forEach((u, i) => (bf[i] = u >>> 16));
  const file = makeFile({
    a: { dtype: 'F32', shape: [2, 2], bytes: new Uint8Array(f32.buffer.slice(0)) },
    b: { dtype: 'BF16', shape: [4], bytes: new Uint8Array(bf.buffer) },
    c: { dtype: 'F16', shape: [4], bytes: new Uint8Array(f32ToF16(f32).buffer) },
  });

  it('reads fp32, bf16 and fp16 tensors', () => {
    const st = parseSafetensors(file);
    expect(st.metadata.format).toBe('pt');
    expect(Array.from(tensorToF32(st, 'a').data)).toEqual(Array.from(f32));
    expect(tensorToF32(st, 'a').shape).toEqual([2, 2]);
    // bf16 truncation of these values is exact for 1.5 and -2.25
    const b = tensorToF32(st, 'b').data;
    expect(b[0]).toBe(1.5);
    expect(b[1]).toBe(-2.25);
    const c = tensorToF32(st, 'c').data;
    expect(c[0]).toBe(1.5);
    expect(c[3]).toBe(65504);
  });

  it('rejects a truncated file with a message that says so', () => {
    expect(() => parseSafetensors(file.subarray(0, file.length - 3))).toThrow(/truncated/);
    expect(() => parseSafetensors(file.subarray(0, 5))).toThrow(SafetensorsError);
    expect(() => parseSafetensors(file.subarray(0, 20))).toThrow(/header length/);
  });

  it('rejects inconsistent headers', () => {
    const bad = makeFile({ a: { dtype: 'F32', shape: [3], bytes: new Uint8Array(8) } });
    expect(() => parseSafetensors(bad)).toThrow(/does not match shape/);
  });

  it('half <-> float conversion is exact on representable values and rounds to nearest even', () => {
    for (let h = 0; h < 0x10000; h += 7) {
      const x = halfToFloat(h);
      if (Number.isNaN(x)) continue;
      expect(floatToHalf(x)).toBe(h === 0x8000 ? 0x8000 : h);
    }
    expect(halfToFloat(floatToHalf(1 + 2 ** -11))).toBe(1); // tie -> even
    expect(halfToFloat(floatToHalf(1 + 3 * 2 ** -11))).toBe(1 + 2 ** -9);
    expect(f16ToF32(Uint16Array.of(0x7c00))[0]).toBe(Infinity);
    expect(bf16ToF32(Uint16Array.of(0x3f80))[0]).toBe(1);
  });
});
