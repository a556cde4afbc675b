// Cellpose models in the page: a .pth state_dict through the same reader and ONNX graph builder
// as in Node, run by onnxruntime-web (WebGPU when the browser has it, else multi-threaded wasm).
import {
  buildCellposeOnnx,
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
} from 'cellscope/browser';
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
  const threads = self.crossOriginIsolated ? Math.min(8, navigator.hardwareConcurrency) : 1;
  ort.env.wasm.numThreads = threads;
  const cpu = `WebAssembly, ${threads} thread${threads === 1 ? '' : 's'}`;
  return webGpu
    ? { ort, providers: ['webgpu', 'wasm'], backend: `WebGPU (else ${cpu})` }
    : { ort, providers: ['wasm'], backend: cpu };
}

/**
 * Opens the model a config names from the bytes of its weights: a `.pth` state_dict through the
 * same reader and graph builder as Node, or an `.onnx` graph (`cellscope models convert`).
 */
export async function openCellposeModel(
  file: ModelFile | undefined,
  name: string,
): Promise<CellposeModel> {
  const bytes = file?.bytes;
  if (!bytes) {
    throw new InvalidArgumentError(`the Cellpose model "${name}" has no weights in the page`, {
      hint: 'choose its .pth or .onnx file under Cellpose weights',
    });
  }
  let graph: Uint8Array;
  let architecture: CellposeArchitecture;
  try {
    if (/\.onnx$/i.test(name)) {
      graph = new Uint8Array(bytes);
      architecture = decodeCellposeOnnx(graph);
    } else {
      ({ model: graph, architecture } = buildCellposeOnnx(decodeStateDict(new Uint8Array(bytes))));
    }
  } catch (error) {
    throw error instanceof CellscopeError ? withFile(error, name) : error;
  }
  const sizeModel = file?.sizeBytes ? decodeSizeModel(new Uint8Array(file.sizeBytes)) : undefined;
  const session = await openSession(graph);
  // Official weights keep Cellpose's diam_mean (17 for nuclei, 30 otherwise), as in Node.
  const diamMean = isBuiltInModelName(name) ? BUILT_IN_MODELS[name].diamMean : undefined;
  return cellposeModelFromSession(architecture, session, { name, diamMean, sizeModel });
}

async function openSession(model: Uint8Array): Promise<NetworkSession> {
  const { ort, providers } = await onnxRuntime();
  const session = await ort.InferenceSession.create(model, {
    executionProviders: providers,
    graphOptimizationLevel: 'all',
  });
  return networkSessionFromOrt(ort, session);
}

function isBuiltInModelName(name: string): name is BuiltInModelName {
  return (BUILT_IN_MODEL_NAMES as readonly string[]).includes(name);
}

/** WebGPU with an adapter (headless or blocklisted GPUs have `navigator.gpu` but none). */
async function hasWebGpu(): Promise<boolean> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}
