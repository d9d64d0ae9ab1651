// Minimal protobuf writer: just enough of the wire format to serialise an ONNX ModelProto.
// Field numbers come from onnx/onnx.proto3. Writing it ourselves keeps the engine free of
// a protobuf runtime and lets large weights go in as external data without copies.

export class PbWriter {
  private chunks: Uint8Array[] = [];
  private buf = new Uint8Array(256);
  private pos = 0;
  private total = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = new Uint8Array(Math.max(n, 256));
  }

  private flush(): void {
    if (this.pos > 0) {
      this.chunks.push(this.buf.slice(0, this.pos));
      this.pos = 0;
    }
  }

  get length(): number {
    return this.total;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
    this.total++;
  }

  varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    if (x < 0x80n) {
      this.byte(Number(x));
      return;
    }
    while (x >= 0x80n) {
      this.byte(Number((x & 0x7fn) | 0x80n));
      x >>= 7n;
    }
    this.byte(Number(x));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  bytesRaw(b: Uint8Array): void {
    if (b.length > 4096) {
      // big payloads (weights) are referenced, not copied into the scratch buffer
      this.flush();
      this.chunks.push(b);
      this.total += b.length;
      return;
    }
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    this.total += b.length;
  }

  int(field: number, v: number | bigint): void {
    this.tag(field, 0);
    this.varint(v);
  }

  float(field: number, v: number): void {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.bytesRaw(b);
  }

  bytes(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.bytesRaw(b);
  }

  string(field: number, s: string): void {
    this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, w: PbWriter): void {
    this.tag(field, 2);
    this.varint(w.length);
    w.flush();
    for (const c of w.chunks) this.chunksPush(c);
  }

  private chunksPush(c: Uint8Array): void {
    this.flush();
    this.chunks.push(c);
    this.total += c.length;
  }

  /** packed repeated int64 */
  packedInts(field: number, vs: (number | bigint)[]): void {
    const w = new PbWriter();
    for (const v of vs) w.varint(v);
    this.tag(field, 2);
    this.varint(w.length);
    w.flush();
    for (const c of w.chunks) this.chunksPush(c);
  }

  packedFloats(field: number, vs: number[]): void {
    const b = new Uint8Array(vs.length * 4);
    const dv = new DataView(b.buffer);
    vs.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    this.bytes(field, b);
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.total);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}
