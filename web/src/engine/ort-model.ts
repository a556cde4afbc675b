// Cellpose models in the page: a .pth state_dict through the same reader as in Node, run by
// onnxruntime-web's WebGPU where the browser has it, else by cellscope's WebAssembly kernels
// (cpnet-pool.ts); an .onnx graph, or a browser without WebAssembly SIMD, by onnxruntime-web.
import {
  buildCellposeOnnx,
  cellposeArchitecture,
  cellposeModelFromForward,
  packCpnetWeights,
  BUILT_IN_MODELS,
  BUILT_IN_MODEL_NAMES,
  type BuiltInModelName,
  CellscopeError,
  withFile,
  cellposeModelFromSession,
  networkSessionFromOrt,
  InvalidArgumentError,
  decodeCellposeOnnx,
  decodeSizeModel,
  decodeStateDict,
  type CellposeArchitecture,
  type CellposeModel,
  type NetworkSession,
  type StateDict,
} from 'cellscope/browser';
import { cpnetSimd, openCpnetPool } from './cpnet-pool.js';
import jsepMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url';
import jsepWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import wasmMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import wasmWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { ModelFile } from './protocol.js';

type Ort = typeof import('onnxruntime-web');

interface Runtime {
  ort: Ort;
  providers: string[];
  /** What the page shows, e.g. "WebAssembly, 2 threads". */
  backend: string;
}

let runtime: Promise<Runtime> | undefined;

/**
 * onnxruntime-web once per worker: with a WebGPU adapter its WebGPU build (wasm as the fallback
 * for operators WebGPU lacks), else the plain multi-threaded SIMD build, which has no WebGPU
 * code and runs the network with ~8 % less CPU than the WebGPU build's wasm path.
 */
export function onnxRuntime(): Promise<Runtime> {
  runtime ??= loadRuntime();
  return runtime;
}

async function loadRuntime(): Promise<Runtime> {
  const webGpu = await hasWebGpu();
  // Each build's loader is served as its own file (vite.config.ts picks the builds that import
  // it), so its threads start from it and not from this bundle.
  const ort = webGpu ? await import('onnxruntime-web') : await import('onnxruntime-web/wasm');
  ort.env.wasm.wasmPaths = webGpu
    ? { mjs: jsepMjsUrl, wasm: jsepWasmUrl }
    : { mjs: wasmMjsUrl, wasm: wasmWasmUrl };
  // Threads need a cross-origin isolated page (SharedArrayBuffer); `cellscope view` serves one.
  const threads = self.crossOriginIsolated ? cpuThreads() : 1;
  ort.env.wasm.numThreads = threads;
  const cpu = `onnxruntime-web WebAssembly, ${threads} thread${threads === 1 ? '' : 's'}`;
  return webGpu
    ? { ort, providers: ['webgpu', 'wasm'], backend: `WebGPU (else ${cpu})` }
    : { ort, providers: ['wasm'], backend: cpu };
}

/** A model opened in the page and what runs its network, e.g. "WebAssembly SIMD, 2 threads". */
export interface PageModel {
  model: CellposeModel;
  backend: string;
}

/**
 * Opens the model a config names from the bytes of its weights: a `.pth` state_dict through the
 * same reader as Node, or an `.onnx` graph (`cellscope models convert`).
 */
export async function openCellposeModel(
  file: ModelFile | undefined,
  name: string,
): Promise<PageModel> {
  const bytes = file?.bytes;
  if (!bytes) {
    throw new InvalidArgumentError(`the Cellpose model "${name}" has no weights in the page`, {
      hint: 'choose its .pth or .onnx file under Cellpose weights',
    });
  }
  let graph: Uint8Array | undefined;
  let weights: StateDict | undefined;
  let architecture: CellposeArchitecture;
  try {
    if (/\.onnx$/i.test(name)) {
      graph = new Uint8Array(bytes);
      architecture = decodeCellposeOnnx(graph);
    } else {
      weights = decodeStateDict(new Uint8Array(bytes));
      architecture = cellposeArchitecture(weights);
    }
  } catch (error) {
    throw error instanceof CellscopeError ? withFile(error, name) : error;
  }
  const sizeModel = file?.sizeBytes ? decodeSizeModel(new Uint8Array(file.sizeBytes)) : undefined;
  // Official weights keep Cellpose's diam_mean (17 for nuclei, 30 otherwise), as in Node.
  const diamMean = isBuiltInModelName(name) ? BUILT_IN_MODELS[name].diamMean : undefined;
  const info = { name, diamMean, sizeModel };
  if (weights && !(await hasWebGpu()) && cpnetSimd()) {
    // ~2× onnxruntime-web's wasm: its convolutions are a 2 × 16 SGEMM on im2col, ours direct.
    const pool = await openCpnetPool(packCpnetWeights(weights), cpuThreads());
    const model = cellposeModelFromForward(architecture, pool.forward, {
      ...info,
      release: pool.release,
    });
    return { model, backend: pool.backend };
  }
  graph ??= buildCellposeOnnx(weights!).model;
  const session = await openSession(graph);
  const { backend } = await onnxRuntime();
  return { model: cellposeModelFromSession(architecture, session, info), backend };
}

async function openSession(model: Uint8Array): Promise<NetworkSession> {
  const { ort, providers } = await onnxRuntime();
  const session = await ort.InferenceSession.create(model, {
    executionProviders: providers,
    graphOptimizationLevel: 'all',
  });
  return networkSessionFromOrt(ort, session);
}

/** Threads for the network on the CPU: the cores, at most 8 (runNet's tiles per batch). */
function cpuThreads(): number {
  return Math.min(8, navigator.hardwareConcurrency || 1);
}

function isBuiltInModelName(name: string): name is BuiltInModelName {
  return (BUILT_IN_MODEL_NAMES as readonly string[]).includes(name);
}

let webGpu: Promise<boolean> | undefined;

/** WebGPU with an adapter (headless or blocklisted GPUs have `navigator.gpu` but none), once. */
function hasWebGpu(): Promise<boolean> {
  webGpu ??= findWebGpu();
  return webGpu;
}

interface Adapter {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; architecture?: string; description?: string };
}

async function findWebGpu(): Promise<boolean> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
  if (!gpu) return false;
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return false;
    // A software adapter (SwiftShader, behind a flag) emulates a GPU on the CPU: no gain there.
    const { info } = adapter;
    const software = /swiftshader/i.test(`${info?.architecture} ${info?.description}`);
    return !(adapter.isFallbackAdapter || info?.isFallbackAdapter || software);
  } catch {
    return false;
  }
}
