// Node-only: reads weights from the model cache or a path; the pure part is cellpose-model.ts.
import { basename } from 'node:path';
import { CellscopeError, withFile } from '../errors.js';
import { readFileBytes } from '../io/files.js';
import { resolveModel, type ResolveModelOptions } from './models/resolve-model.js';
import {
  cellposeModelFromSession,
  type CellposeModel,
  type CellposeModelInfo,
} from './cellpose-model.js';
import { checkCpnetLayout } from './network/architecture.js';
import { buildCellposeOnnx } from './network/onnx-graph.js';
import { createNetworkSession } from './runtime.js';
import { decodeSizeModel } from './size-model.js';
import { decodeStateDict, type StateDict } from './weights/state-dict.js';

export type { CellposeModel } from './cellpose-model.js';

export interface CreateCellposeModelOptions extends CellposeModelInfo {
  /** Threads for the network. @default the machine's cores */
  threads?: number;
}

/** Builds the ONNX graph of a CPnet state_dict and opens an onnxruntime-node session on it. */
export async function createCellposeModel(
  weights: StateDict,
  options: CreateCellposeModelOptions = {},
): Promise<CellposeModel> {
  const { model, architecture } = buildCellposeOnnx(weights);
  const session = await createNetworkSession(model, { threads: options.threads });
  return cellposeModelFromSession(architecture, session, options);
}

export interface LoadCellposeModelOptions extends ResolveModelOptions {
  /** Threads for the network. @default the machine's cores */
  threads?: number;
}

/**
 * Loads a built-in Cellpose model by name (`cyto3`, `nuclei`, `cyto2`, `cyto`) from the model
 * cache, downloading it first when `download` is set, one of cellscope's packaged models
 * (`cellscope-cells`, `cellscope-nuclei`), or a custom `.pth` by path. Built-ins get Cellpose's
 * diam_mean (17 for nuclei, 30 otherwise) and their size model, packaged models their own size
 * model; custom models take diam_mean from the file and have no size model.
 */
export async function loadCellposeModel(
  nameOrPath: string,
  options: LoadCellposeModelOptions = {},
): Promise<CellposeModel> {
  const resolved = await resolveModel(nameOrPath, options);
  const read = async <T>(path: string, parse: (bytes: Uint8Array) => T): Promise<T> => {
    try {
      return parse(await readFileBytes(path));
    } catch (error) {
      throw error instanceof CellscopeError ? withFile(error, path) : error;
    }
  };
  // Shapes are checked against CPnet before any value is read (a bomb never gets that far).
  const weights = await read(resolved.weightsPath, (bytes) =>
    decodeStateDict(bytes, { validate: checkCpnetLayout }),
  );
  const sizeModel = resolved.sizeModelPath
    ? await read(resolved.sizeModelPath, (bytes) => decodeSizeModel(bytes))
    : undefined;
  try {
    return await createCellposeModel(weights, {
      name: resolved.builtIn || resolved.packaged ? resolved.name : basename(resolved.weightsPath),
      diamMean: resolved.diamMean,
      sizeModel,
      threads: options.threads,
    });
  } catch (error) {
    // Architecture errors (NaN weights, a bad diam_mean) name the weight file too.
    throw error instanceof CellscopeError ? withFile(error, resolved.weightsPath) : error;
  }
}
