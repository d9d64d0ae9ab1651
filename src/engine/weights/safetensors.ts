// safetensors: 8-byte little-endian header length, a JSON header, then raw little-endian
// tensor bytes. Views point into the original buffer (no copy) when the offset is aligned.

export type StDtype = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export interface StTensorInfo {
  dtype: StDtype;
  shape: number[];
  /** absolute byte range inside the file buffer */
  begin: number;
  end: number;
}

export interface SafetensorsFile {
  tensors: Map<string, StTensorInfo>;
  metadata: Record<string, string>;
  bytes: Uint8Array;
}

const DTYPE_BYTES: Record<StDtype, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1,
};

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

/** Parse and validate a safetensors file. Truncated or inconsistent files are rejected, never run. */
export function parseSafetensors(bytes: Uint8Array, fileName = 'model.safetensors'): SafetensorsFile {
  if (bytes.byteLength < 8) throw new SafetensorsError(`${fileName}: file is ${bytes.byteLength} bytes, too short to be safetensors`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(dv.getBigUint64(0, true));
  if (headerLen > 100_000_000 || 8 + headerLen > bytes.byteLength) {
    throw new SafetensorsError(`${fileName}: header length ${headerLen} exceeds the file (${bytes.byteLength} bytes): truncated or not safetensors`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
  } catch {
    throw new SafetensorsError(`${fileName}: header is not valid JSON`);
  }
  const dataStart = 8 + headerLen;
  const tensors = new Map<string, StTensorInfo>();
  let metadata: Record<string, string> = {};
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (v ?? {}) as Record<string, string>;
      continue;
    }
    const t = v as { dtype: StDtype; shape: number[]; data_offsets: [number, number] };
    if (!t || !(t.dtype in DTYPE_BYTES) || !Array.isArray(t.shape) || !Array.isArray(t.data_offsets)) {
      throw new SafetensorsError(`${fileName}: tensor ${name} has an invalid header entry`);
    }
    const [b, e] = t.data_offsets;
    const numel = t.shape.reduce((a, x) => a * x, 1);
    if (e - b !== numel * DTYPE_BYTES[t.dtype]) {
      throw new SafetensorsError(`${fileName}: tensor ${name} byte range ${b}..${e} does not match shape ${JSON.stringify(t.shape)} ${t.dtype}`);
    }
    if (dataStart + e > bytes.byteLength) {
      throw new SafetensorsError(`${fileName}: tensor ${name} ends at byte ${dataStart + e} but the file has ${bytes.byteLength}: the file is truncated`);
    }
    tensors.set(name, { dtype: t.dtype, shape: t.shape, begin: dataStart + b, end: dataStart + e });
  }
  // trailing bytes after the last tensor are allowed (some writers pad); a short file is refused above
  return { tensors, metadata, bytes };
}

/** Read a tensor as fp32, converting from bf16/fp16/f64 as needed. Copies only when it must. */
export function tensorToF32(file: SafetensorsFile, name: string): { data: Float32Array; shape: number[] } {
  const info = file.tensors.get(name);
  if (!info) throw new SafetensorsError(`tensor ${name} is missing from the checkpoint`);
  return { data: rawToF32(file.bytes.subarray(info.begin, info.end), info.dtype), shape: info.shape };
}

function rawToF32(raw: Uint8Array, dtype: StDtype): Float32Array {
  switch (dtype) {
    case 'F32':
      if (raw.byteOffset % 4 === 0) return new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
      return new Float32Array(raw.slice().buffer);
    case 'BF16':
      return bf16ToF32(aligned16(raw));
    case 'F16':
      return f16ToF32(aligned16(raw));
    case 'F64': {
      const src = raw.byteOffset % 8 === 0 ? new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8) : new Float64Array(raw.slice().buffer);
      return Float32Array.from(src);
    }
    default:
      throw new SafetensorsError(`dtype ${dtype} cannot be used as a weight`);
  }
}

function aligned16(raw: Uint8Array): Uint16Array {
  if (raw.byteOffset % 2 === 0) return new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
  return new Uint16Array(raw.slice().buffer);
}

/** bf16 is the top half of an fp32: shift into place. Exact. */
export function bf16ToF32(src: Uint16Array): Float32Array {
  const out = new Uint32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i] << 16;
  return new Float32Array(out.buffer);
}

/** IEEE half -> single, exact (subnormals, inf and NaN included). */
export function f16ToF32(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = halfToFloat(src[i]);
  return out;
}

export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** single -> half bits, round to nearest even: subnormal halves, overflow to inf (|x| >= 65520), NaN stays NaN */
export function floatToHalf(x: number): number {
  scratch[0] = x;
  return halfBits(scratchBits[0]);
}

/** the half nearest to the fp32 with bit pattern u (ties to even) */
function halfBits(u: number): number {
  const sign = (u >>> 16) & 0x8000;
  const a = u & 0x7fffffff;
  if (a >= 0x7f800000) return sign | (a > 0x7f800000 ? 0x7e00 : 0x7c00); // NaN (quiet) or inf
  if (a >= 0x477ff000) return sign | 0x7c00; // >= 65520 = 65504 + half an ulp: the tie goes to the even inf
  if (a >= 0x38800000) {
    // normal half (|x| >= 2^-14): rebias the exponent (127 -> 15), round the 13 dropped bits to even; a
    // carry out of the mantissa correctly bumps the exponent
    return sign | (((a + 0xfff + ((a >>> 13) & 1)) >>> 13) - 0x1c000);
  }
  if (a > 0x33000000) {
    // subnormal half (2^-25 < |x| < 2^-14): units of 2^-24; the 24-bit significand m is worth m 2^(e-150)
    const e = a >>> 23;
    const m = (a & 0x7fffff) | 0x800000;
    const shift = 126 - e; // 14..24
    const q = m >>> shift;
    const rem = m - (q << shift);
    const mid = 1 << (shift - 1);
    return sign | (rem > mid || (rem === mid && q & 1) ? q + 1 : q); // q + 1 may be 0x400, the smallest normal: right
  }
  return sign; // |x| <= 2^-25: 0 (2^-25 itself is a tie, to the even 0)
}

/** fp32 -> fp16 bits, round to nearest even (fp16 weights on WebGPU, graph/weights.ts) */
export function f32ToF16(src: Float32Array): Uint16Array {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  const out = new Uint16Array(src.length);
  for (let i = 0; i < bits.length; i++) out[i] = halfBits(bits[i]);
  return out;
}
