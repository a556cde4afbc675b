// Cellpose models in the page: a .pth state_dict through the same reader and ONNX graph builder
// as in Node, run by onnxruntime-web (WebGPU when the browser has it, else wasm).
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
import * as ort from 'onnxruntime-web';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url';
import type { ModelFile } from './protocol.js';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';

// The runtime's loader is served as its own file (vite.config.ts picks the build that imports
// it), so its threads start from it and not from this bundle.
ort.env.wasm.wasmPaths = { mjs: mjsUrl, wasm: wasmUrl };
// Threads need a cross-origin isolated page (SharedArrayBuffer); `cellscope view` serves one.
ort.env.wasm.numThreads = self.crossOriginIsolated ? Math.min(8, navigator.hardwareConcurrency) : 1;

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
  const providers = (await hasWebGpu()) ? ['webgpu', 'wasm'] : ['wasm'];
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
