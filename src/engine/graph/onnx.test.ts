// The graph builder's onnxruntime contrib nodes: the com.microsoft opset is imported when a node, also
// one in a subgraph, uses it, and onnxruntime-web (WASM) runs them.

import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { DT, GraphBuilder, MS_DOMAIN, serializeModel } from './onnx';

ort.env.wasm.numThreads = 1;

const hasDomain = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes).includes(MS_DOMAIN);
/** FastGelu (com.microsoft): x * 0.5 * (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) */
const gelu = (x: number) => x * 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

describe('contrib nodes', () => {
  it('imports com.microsoft only when a node uses it, and onnxruntime runs the node', async () => {
    const plain = new GraphBuilder();
    plain.op('Neg', [plain.input('x', DT.FLOAT, [3])], {}, 'y');
    plain.output('y', DT.FLOAT, [3]);
    expect(hasDomain(serializeModel(plain).model)).toBe(false);

    const g = new GraphBuilder();
    g.contrib('FastGelu', [g.input('x', DT.FLOAT, [3])], {}, 'y');
    g.output('y', DT.FLOAT, [3]);
    expect(g.nodes[0].domain).toBe(MS_DOMAIN);
    const bytes = serializeModel(g).model;
    expect(hasDomain(bytes)).toBe(true);
    const s = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const x = Float32Array.of(-1.5, 0, 2);
    const y = (await s.run({ x: new ort.Tensor('float32', x, [3]) })).y.data as Float32Array;
    x.forEach((v, i) => expect(y[i]).toBeCloseTo(gelu(v), 5));
    await s.release();
  });

  it('imports it for a contrib node inside an If branch', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', DT.FLOAT, [3]);
    const on = g.input('on', DT.BOOL, []);
    const then = new GraphBuilder('then/');
    then.contrib('FastGelu', [x], {}, 'then/y');
    then.output('then/y', DT.FLOAT, [3]);
    const other = new GraphBuilder('else/');
    other.op('Identity', [x], {}, 'else/y');
    other.output('else/y', DT.FLOAT, [3]);
    g.opMulti('If', [on], { then_branch: { graph: then }, else_branch: { graph: other } }, ['y']);
    g.output('y', DT.FLOAT, [3]);
    expect(g.nodes.some((n) => n.domain)).toBe(false);
    const bytes = serializeModel(g).model;
    expect(hasDomain(bytes)).toBe(true);
    const s = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const y = (await s.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2, 3), [3]), on: new ort.Tensor('bool', Uint8Array.of(1), []) })).y.data as Float32Array;
    expect(y[1]).toBeCloseTo(gelu(2), 5);
    await s.release();
  });
});
