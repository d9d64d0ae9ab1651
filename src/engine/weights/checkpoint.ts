// A checkpoint = one or more safetensors shards, looked up by tensor name.

import { parseSafetensors, type SafetensorsFile, SafetensorsError, tensorToF32 } from './safetensors';

export class Checkpoint {
  private where = new Map<string, SafetensorsFile>();

  constructor(readonly shards: SafetensorsFile[]) {
    for (const s of shards) for (const name of s.tensors.keys()) this.where.set(name, s);
  }

  static fromBuffers(files: { name: string; bytes: Uint8Array }[]): Checkpoint {
    return new Checkpoint(files.map((f) => parseSafetensors(f.bytes, f.name)));
  }

  has(name: string): boolean {
    return this.where.has(name);
  }

  names(): string[] {
    return [...this.where.keys()];
  }

  shape(name: string): number[] {
    const f = this.where.get(name);
    if (!f) throw new SafetensorsError(`tensor ${name} is missing from the checkpoint`);
    return f.tensors.get(name)!.shape;
  }

  /** fp32 data (a view into the file when it is stored as aligned fp32) */
  f32(name: string, expectShape?: number[]): Float32Array {
    const f = this.where.get(name);
    if (!f) throw new SafetensorsError(`tensor ${name} is missing from the checkpoint`);
    const { data, shape } = tensorToF32(f, name);
    if (expectShape && (shape.length !== expectShape.length || shape.some((d, i) => d !== expectShape[i]))) {
      throw new SafetensorsError(`tensor ${name} has shape ${JSON.stringify(shape)}, config.json implies ${JSON.stringify(expectShape)}`);
    }
    return data;
  }

  /** total bytes of tensor data */
  get byteSize(): number {
    let n = 0;
    for (const s of this.shards) for (const t of s.tensors.values()) n += t.end - t.begin;
    return n;
  }
}
