import { basename } from 'node:path';
import { CellscopeError, withFile } from '../errors.js';
import { readFileBytes } from '../io/files.js';
import { resolveModel, type ResolveModelOptions } from './models/resolve-model.js';
import { buildCellposeOnnx } from './network/onnx-graph.js';
import type { CellposeArchitecture } from './network/architecture.js';
import { createNetworkSession } from './runtime.js';
import { readSizeModel, type SizeModel } from './size-model.js';
import type { NetworkForward } from './transforms/run-net.js';
import { readStateDict, type StateDict } from './weights/state-dict.js';

/** A Cellpose network ready to run, with what `segmentCellpose` needs to know about it. */
export interface CellposeModel {
  /** `cyto3`, `nuclei`, or the custom file's name. */
  readonly name: string;
  readonly architecture: CellposeArchitecture;
  /** Mean object diameter (px) the network was trained at: images are scaled by diamMean / diameter. */
  readonly diamMean: number;
  /** The file's `diam_labels` (else diamMean): the size model's first pass runs at diamMean / diamLabels. */
  readonly diamLabels: number;
  /** Cellpose's size model, for `diameter: 'auto'`. */
  readonly sizeModel?: SizeModel;
  /** One forward pass over a batch of tiles. */
  readonly forward: NetworkForward;
  /** Frees the runtime session. */
  release(): Promise<void>;
}

export interface CreateCellposeModelOptions {
  name?: string;
  /**
   * Overrides the file's diam_mean: Cellpose takes it from its code for the built-in models
   * (17 for nuclei, 30 otherwise) and from the file for custom ones.
   */
  diamMean?: number;
  sizeModel?: SizeModel;
  /** Threads for the network. @default the machine's cores */
  threads?: number;
}

/** Builds the ONNX graph of a CPnet state_dict and opens a runtime session on it. */
export async function createCellposeModel(
  weights: StateDict,
  options: CreateCellposeModelOptions = {},
): Promise<CellposeModel> {
  const { model, architecture } = buildCellposeOnnx(weights);
  const session = await createNetworkSession(model, { threads: options.threads });
  const diamMean = options.diamMean ?? architecture.diamMean ?? 30;
  const channels = architecture.nbase[0];
  const styleLength = architecture.nbase[architecture.nbase.length - 1];
  return {
    name: options.name ?? 'custom',
    architecture,
    diamMean,
    diamLabels: architecture.diamLabels ?? diamMean,
    sizeModel: options.sizeModel,
    async forward(batch, n, height, width) {
      const out = await session.run({ input: { data: batch, dims: [n, channels, height, width] } });
      return { output: out.flows_cellprob.data, style: out.style.data, styleLength };
    },
    release: () => session.release(),
  };
}

export interface LoadCellposeModelOptions extends ResolveModelOptions {
  /** Threads for the network. @default the machine's cores */
  threads?: number;
}

/**
 * Loads a built-in Cellpose model by name (`cyto3`, `nuclei`, `cyto2`, `cyto`) from the model
 * cache, downloading it first when `download` is set, or a custom `.pth` by path. Built-ins
 * get Cellpose's diam_mean (17 for nuclei, 30 otherwise) and their size model; custom models
 * take diam_mean from the file and have no size model.
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
  const weights = await read(resolved.weightsPath, readStateDict);
  const sizeModel = resolved.sizeModelPath
    ? await read(resolved.sizeModelPath, (bytes) => readSizeModel(bytes))
    : undefined;
  return createCellposeModel(weights, {
    name: resolved.builtIn ? resolved.name : basename(resolved.weightsPath),
    diamMean: resolved.diamMean,
    sizeModel,
    threads: options.threads,
  });
}
