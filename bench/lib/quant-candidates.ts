// Quantised-weight layouts that were measured against the one xlens ships (graph/weights.ts 'int8':
// int8 weights, per-row 8-bit activations, MatMulInteger) and not chosen: bench/int8.ts times them.
// Each rewrites an fp32 forward graph (buildForwardGraph with fp32 weights): every Gemm reading a
// 2-D weight initializer and every row Gather of one is replaced; the fp32 weight is dropped.
//
//   dq8     what xlens shipped before: int8 [out, in] + fp32 scale per row (weights/quantize.ts),
//           each Gemm gets its own DequantizeLinear(q, scale, axis=0) (the unembedding one shared
//           dequantisation per run), scheduled after the consumer's activation exists (a zero from its
//           shape added to the scale); a row Gather gathers int8 rows and dequantises only those.
//   nbits8  onnxruntime's MatMulNBits (com.microsoft), 8-bit, block 32 along the input dimension,
//   nbits4  symmetric (no zero-point input: onnxruntime's default zero point 2^(bits-1)), scale per
//           block = max|w| / (2^(bits-1) - 1); the embedding rows through GatherBlockQuantized on the
//           same bytes (one copy).

import { DT, type GraphBuilder, type OnnxNode } from '../../src/engine/graph/onnx';
import { quantizeRows } from '../../src/engine/weights/quantize';

export type Candidate = 'dq8' | 'nbits8' | 'nbits4';
export const CANDIDATES: Candidate[] = ['dq8', 'nbits8', 'nbits4'];

const NBITS_BLOCK = 32;

/** symmetric block quantisation along each row of [rows, cols], packed as MatMulNBits reads B: [rows, blocks * blob] */
function quantizeBlocks(w: Float32Array, rows: number, cols: number, bits: 4 | 8, block = NBITS_BLOCK): { b: Uint8Array; scale: Float32Array; blocks: number } {
  const blocks = Math.ceil(cols / block);
  const blob = (block * bits) / 8;
  const b = new Uint8Array(rows * blocks * blob);
  const scale = new Float32Array(rows * blocks);
  const qmax = 2 ** (bits - 1) - 1;
  const zero = 2 ** (bits - 1);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < blocks; j++) {
      const c0 = j * block;
      const c1 = Math.min(cols, c0 + block);
      let m = 0;
      for (let c = c0; c < c1; c++) m = Math.max(m, Math.abs(w[r * cols + c]));
      const s = Math.fround(m / qmax);
      scale[r * blocks + j] = s;
      const base = (r * blocks + j) * blob;
      for (let c = c0; c < c1; c++) {
        const q = (s === 0 ? 0 : Math.max(-qmax, Math.min(qmax, Math.round(w[r * cols + c] / s)))) + zero;
        const i = c - c0;
        if (bits === 8) b[base + i] = q;
        else b[base + (i >> 1)] |= i & 1 ? q << 4 : q;
      }
      // padding past cols (none when cols % block == 0) holds the zero point
      for (let i = c1 - c0; i < block; i++) {
        if (bits === 8) b[base + i] = zero;
        else b[base + (i >> 1)] |= i & 1 ? zero << 4 : zero;
      }
    }
  }
  return { b, scale, blocks };
}

/** rewrite an fp32 forward graph in place to a candidate layout; returns the initializer bytes after */
export function rewriteWeights(g: GraphBuilder, kind: Candidate): number {
  const inits = new Map(g.initializers.map((t) => [t.name, t]));
  const readers = new Map<string, OnnxNode[]>();
  for (const n of g.nodes) for (const i of n.inputs) if (inits.get(i)?.dims.length === 2 && inits.get(i)!.dtype === DT.FLOAT) readers.set(i, [...(readers.get(i) ?? []), n]);
  const weights = [...readers.keys()].filter((w) => readers.get(w)!.every((n) => (n.op === 'Gemm' && n.inputs[1] === w && n.attrs.transB === 1) || (n.op === 'Gather' && n.inputs[0] === w && (n.attrs.axis ?? 0) === 0)));
  const out: OnnxNode[] = [];
  const emit = (op: string, inputs: string[], attrs: OnnxNode['attrs'] = {}, name?: string, domain?: string) => {
    const o = name ?? g.fresh(op.toLowerCase());
    out.push({ op, inputs, outputs: [o], attrs, name: g.fresh(`${op}_node`), domain });
    return o;
  };
  const keep = new Set(weights);
  const shapes = new Map(weights.map((w) => [w, inits.get(w)!.dims]));
  for (const w of weights) {
    const t = inits.get(w)!;
    const [rows, cols] = t.dims;
    const f = new Float32Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength));
    if (kind === 'dq8') {
      const m = quantizeRows(f, rows, cols);
      g.init(`${w}#q`, DT.INT8, [rows, cols], new Uint8Array(m.q.buffer));
      g.f32(`${w}#scale`, [rows], m.scale);
    } else {
      const bits = kind === 'nbits8' ? 8 : 4;
      const m = quantizeBlocks(f, rows, cols, bits);
      g.init(`${w}#b`, DT.UINT8, [rows, m.blocks, (NBITS_BLOCK * bits) / 8], m.b);
      g.f32(`${w}#scale`, [rows * m.blocks], m.scale);
    }
  }
  g.initializers = g.initializers.filter((t) => !keep.has(t.name));
  // dq8: the unembedding (read by several Gemms) is dequantised once, the others per consumer
  const gemmReaders = (w: string) => readers.get(w)!.filter((n) => n.op === 'Gemm').length;
  const shared = new Map<string, string>();
  const zeroAfter = new Map<string, string>();
  const after = (x: string) => {
    let z = zeroAfter.get(x);
    if (!z) {
      z = emit('Cast', [emit('Mul', [emit('Gather', [emit('Shape', [x]), g.i64s(0)], { axis: 0 }), g.i64s(0)])], { to: DT.FLOAT });
      zeroAfter.set(x, z);
    }
    return z;
  };
  for (const n of g.nodes) {
    const w = n.inputs.find((i) => keep.has(i));
    if (!w) {
      out.push(n);
      continue;
    }
    const [rows, cols] = shapes.get(w)!;
    const y = n.outputs[0];
    if (n.op === 'Gather') {
      const ids = n.inputs[1];
      if (kind === 'dq8') {
        const r = emit('Cast', [emit('Gather', [`${w}#q`, ids], { axis: 0 })], { to: DT.FLOAT });
        const s = emit('Unsqueeze', [emit('Gather', [`${w}#scale`, ids], { axis: 0 }), g.i64([-1])]);
        emit('Mul', [r, s], {}, y);
      } else {
        const bits = kind === 'nbits8' ? 8 : 4;
        // GatherBlockQuantized reads [rows, cols * bits / 8] and [rows, blocks]: reshaped views of the same tensors,
        // with shapes computed from the ids so onnxruntime does not fold the reshapes into copies
        const zero = emit('Mul', [emit('Gather', [emit('Shape', [ids]), g.i64([0])], { axis: 0 }), g.i64([0])]);
        const data = emit('Reshape', [`${w}#b`, emit('Add', [g.i64([rows, (cols * bits) / 8]), zero])]);
        const scales = emit('Reshape', [`${w}#scale`, emit('Add', [g.i64([rows, Math.ceil(cols / NBITS_BLOCK)]), zero])]);
        emit('GatherBlockQuantized', [data, ids, scales], { gather_axis: 0, quantize_axis: 1, block_size: NBITS_BLOCK, bits }, y, 'com.microsoft');
      }
      continue;
    }
    const [x, , bias] = n.inputs;
    if (kind === 'dq8') {
      const dq = () => emit('DequantizeLinear', [`${w}#q`, emit('Add', [`${w}#scale`, after(x)])], { axis: 0 });
      let wf: string;
      if (gemmReaders(w) > 1) {
        wf = shared.get(w) ?? dq();
        shared.set(w, wf);
      } else wf = dq();
      emit('Gemm', bias ? [x, wf, bias] : [x, wf], { transB: 1 }, y);
    } else {
      const bits = kind === 'nbits8' ? 8 : 4;
      const ins = [x, `${w}#b`, `${w}#scale`];
      if (bias) ins.push('', '', bias); // zero_points, g_idx absent
      emit('MatMulNBits', ins, { K: cols, N: rows, bits, block_size: NBITS_BLOCK, accuracy_level: 0 }, y, 'com.microsoft');
    }
  }
  g.nodes = out;
  return g.initializers.reduce((a, t) => a + t.data.byteLength, 0);
}
