/**
 * Builds a one-layer ONNX model (Conv + bias + Relu, NCHW) in memory, for the kernel
 * benchmark: the smallest protobuf encoder that ModelProto needs (varints, length-delimited
 * fields, packed int64 and raw float data). Field numbers follow onnx/onnx.proto.
 */
import type { ModelFileSpec } from '../src/profiles.js';

/** One convolution layer: channels in/out, input height/width, square kernel, groups. */
export interface ConvLayer {
  name: string;
  cin: number;
  cout: number;
  h: number;
  w: number;
  k: number;
  group: number;
}

/** Floating-point operations of one forward pass of the layer (multiply and add counted apart). */
export function convFlops(l: ConvLayer): number {
  return 2 * l.cout * (l.cin / l.group) * l.k * l.k * l.h * l.w;
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

const utf8 = new TextEncoder();

function field(no: number, payload: Uint8Array | number[] | string): number[] {
  const bytes = typeof payload === 'string' ? Array.from(utf8.encode(payload)) : Array.from(payload);
  return [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes];
}

function intField(no: number, n: number): number[] {
  return [...varint(no << 3), ...varint(n)];
}

function attrInts(name: string, values: number[]): number[] {
  // AttributeProto: name=1, ints=8 (packed), type=20 (INTS = 7)
  const packed = values.flatMap(varint);
  return [...field(1, name), ...field(8, packed), ...intField(20, 7)];
}

function attrInt(name: string, value: number): number[] {
  // AttributeProto: name=1, i=3, type=20 (INT = 2)
  return [...field(1, name), ...intField(3, value), ...intField(20, 2)];
}

function tensor(name: string, dims: number[], values: Float32Array): number[] {
  // TensorProto: dims=1 (packed int64), data_type=2 (FLOAT = 1), name=8, raw_data=9
  const raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return [...field(1, dims.flatMap(varint)), ...intField(2, 1), ...field(8, name), ...field(9, raw)];
}

function valueInfo(name: string, dims: number[]): number[] {
  // ValueInfoProto{name=1, type=2: TypeProto{tensor_type=1: {elem_type=1, shape=2: {dim=1: {dim_value=1}}}}}
  const shape = dims.flatMap((d) => field(1, intField(1, d)));
  const tensorType = [...intField(1, 1), ...field(2, shape)];
  return [...field(1, name), ...field(2, field(1, tensorType))];
}

function node(op: string, inputs: string[], outputs: string[], attributes: number[][]): number[] {
  // NodeProto: input=1, output=2, op_type=4, attribute=5
  return [
    ...inputs.flatMap((i) => field(1, i)),
    ...outputs.flatMap((o) => field(2, o)),
    ...field(4, op),
    ...attributes.flatMap((a) => field(5, a)),
  ];
}

/** Deterministic pseudo-random values in [−0.1, 0.1) (an LCG), so every run of the bench measures the same model. */
export function seededValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 0.2;
  }
  return out;
}

/** The layer's weight (OIHW: `[cout, cin/group, k, k]`) and bias (`[cout]`), as stored in {@link convModel}. */
export function convWeights(l: ConvLayer): { weight: Float32Array; bias: Float32Array } {
  return { weight: seededValues((l.cout * l.cin * l.k * l.k) / l.group, 7), bias: seededValues(l.cout, 11) };
}

function checkLayer(l: ConvLayer): void {
  const ok = [l.cin, l.cout, l.h, l.w, l.k, l.group].every((v) => Number.isInteger(v) && v > 0);
  if (!ok || l.k % 2 !== 1 || l.cin % l.group !== 0 || l.cout % l.group !== 0) {
    throw new RangeError(`layer ${l.name}: sizes must be positive integers, k odd, cin and cout multiples of group`);
  }
}

/**
 * Serialised ONNX model (opset 11) of `Relu(Conv(x, W, B))` with "same" padding, input `x`, output `y`.
 * With `depth` > 1 the Conv+Relu is applied `depth` times in a chain (same W and B; needs cin = cout),
 * so that timing depth 1 and depth n and taking the difference leaves the kernels without the
 * fixed cost of copying the input in and the output out.
 */
export function convModel(l: ConvLayer, depth = 1): Uint8Array {
  checkLayer(l);
  if (!Number.isInteger(depth) || depth < 1 || (depth > 1 && l.cin !== l.cout)) {
    throw new RangeError(`layer ${l.name}: depth must be a positive integer, and 1 unless cin = cout`);
  }
  const pad = Math.floor(l.k / 2);
  const { weight, bias } = convWeights(l);
  const conv = [
    attrInts('kernel_shape', [l.k, l.k]),
    attrInts('pads', [pad, pad, pad, pad]),
    attrInts('strides', [1, 1]),
    attrInt('group', l.group),
  ];
  const nodes: number[] = [];
  for (let d = 0; d < depth; d++) {
    const input = d === 0 ? 'x' : `r${d - 1}`;
    const output = d === depth - 1 ? 'y' : `r${d}`;
    nodes.push(...field(1, node('Conv', [input, 'W', 'B'], [`c${d}`], conv)));
    nodes.push(...field(1, node('Relu', [`c${d}`], [output], [])));
  }
  const graph = [
    ...nodes,
    ...field(2, l.name),
    ...field(5, tensor('W', [l.cout, l.cin / l.group, l.k, l.k], weight)),
    ...field(5, tensor('B', [l.cout], bias)),
    ...field(11, valueInfo('x', [1, l.cin, l.h, l.w])),
    ...field(12, valueInfo('y', [1, l.cout, l.h, l.w])),
  ];
  // ModelProto: ir_version=1 (7), graph=7, opset_import=8 {domain=1 "", version=2 (11)}
  const model = [...intField(1, 7), ...field(7, graph), ...field(8, [...field(1, ''), ...intField(2, 11)])];
  return Uint8Array.from(model);
}

/**
 * Plain-JS `Relu(Conv(x, W, B))` of the layer on an NCHW input `[1, cin, h, w]` (zero "same" padding),
 * the reference the ONNX model is checked against.
 */
export function convReference(l: ConvLayer, x: Float32Array): Float32Array {
  checkLayer(l);
  if (x.length !== l.cin * l.h * l.w) throw new RangeError(`layer ${l.name}: input has ${x.length} values`);
  const { weight, bias } = convWeights(l);
  const pad = Math.floor(l.k / 2);
  const inPerGroup = l.cin / l.group;
  const outPerGroup = l.cout / l.group;
  const y = new Float32Array(l.cout * l.h * l.w);
  for (let o = 0; o < l.cout; o++) {
    const g = Math.floor(o / outPerGroup);
    for (let r = 0; r < l.h; r++) {
      for (let c = 0; c < l.w; c++) {
        let acc = bias[o] as number;
        for (let i = 0; i < inPerGroup; i++) {
          const ch = g * inPerGroup + i;
          for (let ky = 0; ky < l.k; ky++) {
            const yy = r + ky - pad;
            if (yy < 0 || yy >= l.h) continue;
            for (let kx = 0; kx < l.k; kx++) {
              const xx = c + kx - pad;
              if (xx < 0 || xx >= l.w) continue;
              acc +=
                (weight[((o * inPerGroup + i) * l.k + ky) * l.k + kx] as number) *
                (x[(ch * l.h + yy) * l.w + xx] as number);
            }
          }
        }
        y[(o * l.h + r) * l.w + c] = Math.max(0, acc);
      }
    }
  }
  return y;
}

/** How the face runtime's `createSession`/`runModel` see the one-layer model (they check names, not the hash). */
export function convSpec(l: ConvLayer): ModelFileSpec {
  return {
    file: `${l.name}.onnx`,
    origin: 'integrator',
    sha256: '',
    input: 'x',
    inputShape: [1, l.cin, l.h, l.w],
    outputs: ['y'],
    format: { colour: 'rgb', mean: 0, std: 1 },
  };
}
