// A small ONNX graph DSL and its ModelProto serialiser (onnx.proto3 field numbers).

import { PbWriter } from './protobuf';

export const enum DT {
  FLOAT = 1,
  UINT8 = 2,
  INT8 = 3,
  INT32 = 6,
  INT64 = 7,
  BOOL = 9,
  FLOAT16 = 10,
}

export type Dim = number | string;
export type AttrValue = number | number[] | string | { float: number } | { floats: number[] } | { tensor: Initializer } | { graph: GraphBuilder };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
  name: string;
  domain?: string;
}

export interface Initializer {
  name: string;
  dtype: DT;
  dims: number[];
  data: Uint8Array;
}

export interface ValueInfo {
  name: string;
  dtype: DT;
  shape: Dim[];
}

const OPSET = 17;
const IR_VERSION = 8;
/** onnxruntime's contrib operators (MatMulNBits, GatherBlockQuantized): opset version 1 of their domain */
export const MS_DOMAIN = 'com.microsoft';

export class GraphBuilder {
  nodes: OnnxNode[] = [];
  initializers: Initializer[] = [];
  inputs: ValueInfo[] = [];
  outputs: ValueInfo[] = [];
  private counter = 0;
  private consts = new Map<string, string>();

  /** `prefix` starts every generated name: a subgraph's names must not clash with its outer graph's */
  constructor(readonly prefix = '') {}

  fresh(prefix: string): string {
    return `${this.prefix}${prefix}_${this.counter++}`;
  }

  input(name: string, dtype: DT, shape: Dim[]): string {
    this.inputs.push({ name, dtype, shape });
    return name;
  }

  output(name: string, dtype: DT, shape: Dim[]): void {
    this.outputs.push({ name, dtype, shape });
  }

  /** add a node; returns its single output (or the list when nOut > 1) */
  op(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outName?: string): string {
    const out = outName ?? this.fresh(op.toLowerCase());
    this.nodes.push({ op, inputs, outputs: [out], attrs, name: `${this.prefix}${op}_${this.nodes.length}` });
    return out;
  }

  /** add an onnxruntime contrib node (domain com.microsoft); returns its single output */
  contrib(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outName?: string): string {
    const out = outName ?? this.fresh(op.toLowerCase());
    this.nodes.push({ op, inputs, outputs: [out], attrs, name: `${this.prefix}${op}_${this.nodes.length}`, domain: MS_DOMAIN });
    return out;
  }

  /** add a node with several named outputs */
  opMulti(op: string, inputs: string[], attrs: Record<string, AttrValue>, outputs: string[]): string[] {
    this.nodes.push({ op, inputs, outputs, attrs, name: `${this.prefix}${op}_${this.nodes.length}` });
    return outputs;
  }

  init(name: string, dtype: DT, dims: number[], data: Uint8Array): string {
    this.initializers.push({ name, dtype, dims, data });
    return name;
  }

  f32(name: string, dims: number[], values: Float32Array): string {
    return this.init(name, DT.FLOAT, dims, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }

  /** cached int64 constant */
  i64(values: number[]): string {
    const key = `i64:${values.join(',')}`;
    let n = this.consts.get(key);
    if (!n) {
      n = this.fresh('c_i64');
      const a = BigInt64Array.from(values.map((v) => BigInt(v)));
      this.init(n, DT.INT64, [values.length], new Uint8Array(a.buffer));
      this.consts.set(key, n);
    }
    return n;
  }

  /** cached int64 scalar (rank 0) */
  i64s(value: number): string {
    const key = `i64s:${value}`;
    let n = this.consts.get(key);
    if (!n) {
      n = this.fresh('c_i64s');
      this.init(n, DT.INT64, [], new Uint8Array(BigInt64Array.of(BigInt(value)).buffer));
      this.consts.set(key, n);
    }
    return n;
  }

  /** cached float scalar (rank 0) */
  f32s(value: number): string {
    const key = `f32s:${value}`;
    let n = this.consts.get(key);
    if (!n) {
      n = this.fresh('c_f32s');
      this.init(n, DT.FLOAT, [], new Uint8Array(Float32Array.of(value).buffer));
      this.consts.set(key, n);
    }
    return n;
  }
}

export interface SerializeOptions {
  /** initializers with at least this many bytes go to external data (0 = none) */
  externalThreshold?: number;
  producer?: string;
}

export interface SerializedModel {
  model: Uint8Array;
  /** external data files, referenced by `location` in the model; pass to ort as `externalData` */
  external: { path: string; data: Uint8Array }[];
}

export function serializeModel(g: GraphBuilder, opts: SerializeOptions = {}): SerializedModel {
  const external: { path: string; data: Uint8Array }[] = [];
  const graph = graphProto(g, opts.externalThreshold ?? 0, external, 'xlens');
  const model = new PbWriter();
  model.int(1, IR_VERSION);
  model.string(2, opts.producer ?? 'xlens');
  model.string(3, '1');
  model.message(7, graph);
  const opset = new PbWriter();
  opset.string(1, '');
  opset.int(2, OPSET);
  model.message(8, opset);
  // a domain's opset must be imported by the model when any node, also in a subgraph, uses it
  if (usesDomain(g, MS_DOMAIN)) {
    const ms = new PbWriter();
    ms.string(1, MS_DOMAIN);
    ms.int(2, 1);
    model.message(8, ms);
  }
  return { model: model.finish(), external };
}

function usesDomain(g: GraphBuilder, domain: string): boolean {
  return g.nodes.some((n) => n.domain === domain || Object.values(n.attrs).some((v) => typeof v === 'object' && v !== null && 'graph' in v && usesDomain(v.graph, domain)));
}

/** a GraphProto; initializers of at least `threshold` bytes (0 = none) go to `external` */
function graphProto(g: GraphBuilder, threshold: number, external: { path: string; data: Uint8Array }[], name: string): PbWriter {
  const graph = new PbWriter();
  for (const n of g.nodes) graph.message(1, nodeProto(n));
  graph.string(2, name);
  for (const t of g.initializers) {
    const ext = threshold > 0 && t.data.byteLength >= threshold;
    if (ext) {
      const path = `w${external.length}.bin`;
      external.push({ path, data: t.data });
      graph.message(5, tensorProto(t, { location: path, length: t.data.byteLength }));
    } else {
      graph.message(5, tensorProto(t));
    }
  }
  for (const v of g.inputs) graph.message(11, valueInfoProto(v));
  for (const v of g.outputs) graph.message(12, valueInfoProto(v));
  return graph;
}

function nodeProto(n: OnnxNode): PbWriter {
  const w = new PbWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.op);
  for (const [k, v] of Object.entries(n.attrs)) w.message(5, attrProto(k, v));
  if (n.domain) w.string(7, n.domain);
  return w;
}

function attrProto(name: string, v: AttrValue): PbWriter {
  const w = new PbWriter();
  w.string(1, name);
  if (typeof v === 'number') {
    w.int(3, v);
    w.int(20, 2);
  } else if (typeof v === 'string') {
    w.string(4, v);
    w.int(20, 3);
  } else if (Array.isArray(v)) {
    w.packedInts(8, v);
    w.int(20, 7);
  } else if ('float' in v) {
    w.float(2, v.float);
    w.int(20, 1);
  } else if ('floats' in v) {
    w.packedFloats(7, v.floats);
    w.int(20, 6);
  } else if ('graph' in v) {
    // a subgraph (If branches): its initializers inline, its outer-scope references by name
    w.message(6, graphProto(v.graph, 0, [], name));
    w.int(20, 5);
  } else {
    w.message(5, tensorProto(v.tensor));
    w.int(20, 4);
  }
  return w;
}

function tensorProto(t: Initializer, ext?: { location: string; length: number }): PbWriter {
  const w = new PbWriter();
  if (t.dims.length) w.packedInts(1, t.dims);
  w.int(2, t.dtype);
  w.string(8, t.name);
  if (ext) {
    for (const [k, v] of [
      ['location', ext.location],
      ['offset', '0'],
      ['length', String(ext.length)],
    ]) {
      const e = new PbWriter();
      e.string(1, k);
      e.string(2, v);
      w.message(13, e);
    }
    w.int(14, 1);
  } else {
    w.bytes(9, t.data);
  }
  return w;
}

function valueInfoProto(v: ValueInfo): PbWriter {
  const shape = new PbWriter();
  for (const d of v.shape) {
    const dim = new PbWriter();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensor = new PbWriter();
  tensor.int(1, v.dtype);
  tensor.message(2, shape);
  const type = new PbWriter();
  type.message(1, tensor);
  const w = new PbWriter();
  w.string(1, v.name);
  w.message(2, type);
  return w;
}
