import { UnsupportedError } from '../../errors.js';
import {
  padChannels,
  type CpnetAffine,
  type CpnetBatchConv,
  type CpnetBlock,
  type CpnetConv,
  type CpnetWeights,
} from './cpnet-weights.js';
import { CPNET_RELAXED_WASM, CPNET_WASM } from './wasm/cpnet-wasm.js';

/** One tile through CPnet: flows `nout × h × w` (NCHW) and the L2-normalised style. */
export interface CpnetTileOutput {
  flows: Float32Array;
  style: Float32Array;
}

/** CPnet's forward pass on one thread, tile by tile, in WebAssembly. */
export interface CpnetRunner {
  /** `relaxed` when the convolution uses fused multiply-adds (relaxed SIMD). */
  readonly simd: 'relaxed' | 'plain';
  /** Runs tile `index` of an NCHW batch (`nbase[0] × h × w` per tile). */
  run(batch: Float32Array, index: number, h: number, w: number): CpnetTileOutput;
}

/**
 * The part of the WebAssembly API used here. Node's type declarations do not describe it (only
 * TypeScript's DOM lib does), and the published declarations must build without the DOM lib.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
/** A compiled module: opaque here, handed back to the API to instantiate. */
type WasmModule = object;
interface WasmApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => WasmModule;
  Instance: new (module: WasmModule) => { exports: unknown };
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface Kernels {
  memory: WasmMemory;
  conv(...args: number[]): void;
  affine(...args: number[]): void;
  maxPool(...args: number[]): void;
  upsample(...args: number[]): void;
}

const decode = (base64: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

interface CompiledCpnet {
  module: WasmModule;
  simd: 'relaxed' | 'plain';
}
const compiled = new Map<'relaxed' | 'plain', CompiledCpnet | null>();

/**
 * The relaxed-SIMD kernels where the engine takes them, else the plain ones (or the flavour
 * asked for), compiled once; undefined without WebAssembly SIMD.
 */
export function cpnetModule(simd?: 'relaxed' | 'plain'): CompiledCpnet | undefined {
  if (!simd) return cpnetModule('relaxed') ?? cpnetModule('plain');
  if (!compiled.has(simd)) {
    const bytes = decode(simd === 'relaxed' ? CPNET_RELAXED_WASM : CPNET_WASM);
    const valid = wasmApi !== undefined && wasmApi.validate(bytes);
    compiled.set(simd, valid ? { module: new wasmApi.Module(bytes), simd } : null);
  }
  return compiled.get(simd) ?? undefined;
}

/**
 * Opens a CPnet runner on packed weights (`packCpnetWeights`): the same graph as
 * `buildCellposeOnnx`, in float32, with sums in another order than onnxruntime's (outputs agree
 * to about 1e-6 of their range). Buffers are laid out once per tile size. `options.simd` asks for
 * one flavour of the kernels; by default relaxed SIMD (fused multiply-adds) where available.
 * @throws UnsupportedError where WebAssembly SIMD (or the flavour asked for) is not available.
 */
export function createCpnetRunner(
  weights: CpnetWeights,
  options: { simd?: 'relaxed' | 'plain' } = {},
): CpnetRunner {
  const wasm = cpnetModule(options.simd);
  if (!wasm) throw new UnsupportedError('this JavaScript engine has no WebAssembly SIMD');
  const kernels = new wasmApi!.Instance(wasm.module).exports as Kernels;
  const memory = new Arena(kernels.memory);
  const placed = new Map<object, number>();
  // Weights go first and stay; activations follow and are laid out again when the size changes.
  const place = (data: Float32Array): number => {
    let at = placed.get(data);
    if (at === undefined) {
      at = memory.allocate(data.length);
      memory.f32().set(data, at / 4);
      placed.set(data, at);
    }
    return at;
  };
  const affineAt = (affine: CpnetAffine): number => {
    const at = place(affine.scale);
    place(affine.shift); // allocated right after: the kernel reads scale then shift
    return at;
  };
  const all = [...weights.down, ...weights.up].flatMap((b) => [...b.convs, b.proj]);
  for (const bc of [...all, weights.output]) {
    affineAt(bc.norm);
    place(bc.conv.weights);
    place(bc.conv.bias);
  }
  // One scale + shift slot per styled conv: the shift depends on the tile's style.
  const styleSlots = new Map<CpnetBatchConv, number>();
  for (const bc of all) if (bc.style) styleSlots.set(bc, memory.allocate(2 * bc.norm.scale.length));
  const fixed = memory.mark();
  let layout: { h: number; w: number; buffers: Map<string, number> } | undefined;

  return {
    simd: wasm.simd,
    run(batch, index, h, w) {
      if (layout?.h !== h || layout.w !== w) {
        memory.reset(fixed);
        layout = { h, w, buffers: new Map() };
      }
      const buffers = layout.buffers;
      // A buffer per role and size; padded ones get a zero border once, which no kernel writes.
      const buffer = (key: string, bh: number, bw: number, c: number, pad = 0): number => {
        let at = buffers.get(key);
        if (at === undefined) {
          const length = (bh + 2 * pad) * (bw + 2 * pad) * c;
          at = memory.allocate(length);
          memory.f32().fill(0, at / 4, at / 4 + length);
          buffers.set(key, at);
        }
        return at;
      };
      return forward(kernels, weights, { batch, index, h, w }, buffer, {
        affineAt,
        convAt: (conv) => [place(conv.weights), place(conv.bias)],
        styleSlot: (bc) => styleSlots.get(bc)!,
        f32: () => memory.f32(),
      });
    },
  };
}

type Buffer = (key: string, h: number, w: number, c: number, pad?: number) => number;

interface Places {
  affineAt(affine: CpnetAffine): number;
  convAt(conv: CpnetConv): [number, number];
  styleSlot(bc: CpnetBatchConv): number;
  f32(): Float32Array;
}

/** The forward pass of onnx-graph.ts's graph on one tile, kernel by kernel. */
function forward(
  kernels: Kernels,
  net: CpnetWeights,
  tile: { batch: Float32Array; index: number; h: number; w: number },
  buffer: Buffer,
  places: Places,
): CpnetTileOutput {
  const { h, w } = tile;
  const levels = net.nbase.length - 1;
  if (h % 2 ** (levels - 1) || w % 2 ** (levels - 1)) {
    throw new UnsupportedError(`CPnet tiles must be multiples of ${2 ** (levels - 1)} pixels`);
  }
  // batchconv: affine (+ ReLU) into a padded buffer, then the convolution into (or onto) out.
  const batchconv = (
    bc: CpnetBatchConv,
    x: { at: number; skip?: number; h: number; w: number; c: number },
    out: number,
    options: { key: string; relu: boolean; add: boolean; params?: number },
  ): void => {
    const { k } = bc.conv;
    const pad = k >> 1;
    const padded = buffer(`${options.key}.${x.c}.${k}`, x.h, x.w, x.c, pad);
    const params = options.params ?? places.affineAt(bc.norm);
    kernels.affine(x.at, x.skip ?? 0, padded, x.h, x.w, x.c, params, +options.relu, pad);
    const [weightsAt, biasAt] = places.convAt(bc.conv);
    kernels.conv(padded, weightsAt, biasAt, out, x.h, x.w, x.c, bc.conv.cout, k, +options.add);
  };
  // res_down / res_up: a = proj(x) + conv1(conv0(x)); a + conv3(conv2(a)), styled going up.
  const block = (
    b: CpnetBlock,
    name: string,
    x: { at: number; h: number; w: number; c: number },
    skip?: number,
    style?: Float32Array,
  ): number => {
    const c = b.convs[0].conv.cout;
    const size = { h: x.h, w: x.w, c };
    const t = buffer(`${name}.t`, x.h, x.w, c);
    const a = buffer(`${name}.a`, x.h, x.w, c);
    const params = (bc: CpnetBatchConv): number | undefined =>
      style && bc.style ? styleParams(bc, style, places) : undefined;
    const key = `${name}.p`;
    batchconv(b.convs[0], x, t, { key, relu: true, add: false });
    batchconv(b.proj, x, a, { key, relu: false, add: false });
    const second = { ...size, at: t, skip };
    batchconv(b.convs[1], second, a, { key, relu: true, add: true, params: params(b.convs[1]) });
    batchconv(b.convs[2], { ...size, at: a }, t, {
      key,
      relu: true,
      add: false,
      params: params(b.convs[2]),
    });
    batchconv(b.convs[3], { ...size, at: t }, a, {
      key,
      relu: true,
      add: true,
      params: params(b.convs[3]),
    });
    return a;
  };

  // The tile, NCHW, into a channels-last buffer with the padded channels left at zero.
  let x = { at: buffer('input', h, w, net.inputChannels), h, w, c: net.inputChannels };
  {
    const f32 = places.f32();
    const plane = h * w;
    const source = tile.index * net.nbase[0] * plane;
    for (let c = 0; c < net.nbase[0]; c++)
      for (let i = 0; i < plane; i++)
        f32[x.at / 4 + i * x.c + c] = tile.batch[source + c * plane + i];
  }
  const features: { at: number; h: number; w: number; c: number }[] = [];
  for (let level = 0; level < levels; level++) {
    if (level > 0) {
      const prev = features[level - 1];
      const pooled = buffer(`pool${level}`, prev.h / 2, prev.w / 2, prev.c);
      kernels.maxPool(prev.at, pooled, prev.h, prev.w, prev.c);
      x = { at: pooled, h: prev.h / 2, w: prev.w / 2, c: prev.c };
    }
    const at = block(net.down[level], `down${level}`, x);
    features.push({ at, h: x.h, w: x.w, c: padChannels(net.nbase[level + 1]) });
  }
  const style = styleOf(features[levels - 1], net.nbase[levels], places.f32());

  let y = block(
    net.up[levels - 1],
    `up${levels - 1}`,
    features[levels - 1],
    features[levels - 1].at,
    style,
  );
  for (let level = levels - 2; level >= 0; level--) {
    const below = { ...features[level + 1], at: y };
    const up = buffer(`upsampled${level}`, below.h * 2, below.w * 2, below.c);
    kernels.upsample(below.at, up, below.h, below.w, below.c);
    const x2 = { at: up, h: below.h * 2, w: below.w * 2, c: below.c };
    y = block(net.up[level], `up${level}`, x2, features[level].at, style);
  }
  const cout = net.output.conv.cout;
  const out = buffer('output', h, w, cout);
  batchconv(net.output, { at: y, h, w, c: padChannels(net.nbase[1]) }, out, {
    key: 'output',
    relu: true,
    add: false,
  });
  const f32 = places.f32();
  const flows = new Float32Array(net.nout * h * w);
  for (let c = 0; c < net.nout; c++)
    for (let i = 0; i < h * w; i++) flows[c * h * w + i] = f32[out / 4 + i * cout + c];
  return { flows, style };
}

/** make_style: the spatial mean of the deepest features over its L2 norm (float32). */
function styleOf(
  features: { at: number; h: number; w: number; c: number },
  length: number,
  f32: Float32Array,
): Float32Array {
  const sums = new Float64Array(length);
  const pixels = features.h * features.w;
  for (let i = 0; i < pixels; i++) {
    const at = features.at / 4 + i * features.c;
    for (let c = 0; c < length; c++) sums[c] += f32[at + c];
  }
  const mean = Float32Array.from(sums, (s) => s / pixels);
  const norm = Math.fround(Math.hypot(...mean));
  return mean.map((v) => v / norm);
}

/** batchconvstyle's BatchNorm of (x + Linear(style)): the shift takes scale · Linear(style). */
function styleParams(bc: CpnetBatchConv, style: Float32Array, places: Places): number {
  const { weight, bias, length } = bc.style!;
  const { scale, shift } = bc.norm;
  const at = places.styleSlot(bc);
  const f32 = places.f32();
  const c = scale.length;
  f32.set(scale, at / 4);
  for (let o = 0; o < bias.length; o++) {
    let feature = bias[o];
    for (let s = 0; s < length; s++) feature += weight[o * length + s] * style[s];
    f32[at / 4 + c + o] = shift[o] + scale[o] * Math.fround(feature);
  }
  return at;
}

/** A bump allocator over the module's memory, 16-byte aligned, growing it as needed. */
class Arena {
  #next = 16;
  constructor(readonly memory: WasmMemory) {}
  allocate(floats: number): number {
    const at = this.#next;
    this.#next += 16 * Math.ceil((4 * floats) / 16);
    const short = this.#next - this.memory.buffer.byteLength;
    if (short > 0) this.memory.grow(Math.ceil(short / 65536));
    return at;
  }
  mark(): number {
    return this.#next;
  }
  reset(at: number): void {
    this.#next = at;
  }
  f32(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }
}
