import type { CellposeArchitecture } from './network/architecture.js';
import type { NetworkSession } from './network-session.js';
import type { SizeModel } from './size-model.js';
import type { NetworkForward } from './transforms/run-net.js';

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

export interface CellposeModelInfo {
  /** @default 'custom' */
  name?: string;
  /**
   * Overrides the file's diam_mean: Cellpose takes it from its code for the built-in models
   * (17 for nuclei, 30 otherwise) and from the file for custom ones.
   * @default the architecture's diamMean, else 30
   */
  diamMean?: number;
  sizeModel?: SizeModel;
}

export interface CellposeModelFromForwardOptions extends CellposeModelInfo {
  /** Frees whatever runs `forward`. @default does nothing */
  release?: () => Promise<void>;
}

/**
 * A CellposeModel around any forward pass (an ONNX session in a worker, WebGPU, a test stub),
 * for `segmentCellpose` where `createCellposeModel`'s onnxruntime-node is not available.
 */
export function cellposeModelFromForward(
  architecture: CellposeArchitecture,
  forward: NetworkForward,
  options: CellposeModelFromForwardOptions = {},
): CellposeModel {
  const diamMean = options.diamMean ?? architecture.diamMean ?? 30;
  return {
    name: options.name ?? 'custom',
    architecture,
    diamMean,
    diamLabels: architecture.diamLabels ?? diamMean,
    sizeModel: options.sizeModel,
    forward,
    release: options.release ?? (async () => undefined),
  };
}

/**
 * A CellposeModel over a runtime session opened on `buildCellposeOnnx`'s graph (input `input`,
 * outputs `flows_cellprob` and `style`); releasing the model releases the session.
 */
export function cellposeModelFromSession(
  architecture: CellposeArchitecture,
  session: NetworkSession,
  options: CellposeModelInfo = {},
): CellposeModel {
  const channels = architecture.nbase[0];
  const styleLength = architecture.nbase[architecture.nbase.length - 1];
  return cellposeModelFromForward(
    architecture,
    async (batch, n, height, width) => {
      const out = await session.run({ input: { data: batch, dims: [n, channels, height, width] } });
      return { output: out.flows_cellprob.data, style: out.style.data, styleLength };
    },
    { ...options, release: () => session.release() },
  );
}
