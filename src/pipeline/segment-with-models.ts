import type { CellposeModel } from '../cellpose/cellpose-model.js';
import { segmentCellpose, type CellposeStage } from '../cellpose/segment-cellpose.js';
import { InvalidArgumentError } from '../errors.js';
import { createLabels } from '../image/plane.js';
import { channelIndex } from '../image/stack.js';
import type { Labels, Stack } from '../image/types.js';
import { segmentCellsFromNuclei } from '../segment/cells.js';
import { segmentNucleiClassical } from '../segment/nuclei.js';
import type { AnalysisConfig } from './config.js';
import { nucleusAwareCells } from './nucleus-aware-cells.js';

/** What segmentation found in one image, and how. */
export interface SegmentedImage {
  nucleusLabels: Labels;
  cellLabels: Labels;
  /** Diameters (px) used or estimated, per step. */
  nucleusDiameterPx?: number;
  cellDiameterPx?: number;
  /** One line per step, for the report. */
  steps: string[];
}

/** Cellpose models opened once per batch, keyed by name or path. */
export type ModelCache = Map<string, Promise<CellposeModel>>;

export interface SegmentImageOptions {
  /** Models already opened, by the name or path the config gives; new ones are added. */
  models?: ModelCache;
  /**
   * Opens a Cellpose model the config names that `models` lacks.
   * @default `loadCellposeModel` in Node (model cache, download if the config allows); none in
   * the browser entry, where every model must come in `models`
   */
  loadModel?: (nameOrPath: string) => Promise<CellposeModel>;
  /**
   * Called as each step starts (`done` 0, no stage) and as Cellpose finishes network tiles, with
   * the network run they belong to.
   */
  onProgress?: (
    step: 'nuclei' | 'cells',
    done: number,
    total: number,
    stage?: CellposeStage,
  ) => void;
  signal?: AbortSignal;
  /**
   * Fixed normalisation bounds per Cellpose step (`[low, high]` per network channel), as a
   * block-wise run passes the whole image's; percentiles of the image given otherwise.
   */
  cellposeBounds?: { nuclei?: [number, number][]; cells?: [number, number][] };
  /**
   * Threads for Cellpose's dynamics (and the network, where `loadModel` opens one); the masks
   * are the same for any count. @default `config.threads`, else the machine's cores
   */
  threads?: number;
  /**
   * Network tiles run at once. Each Cellpose model's onnxruntime session keeps memory for a
   * whole batch, so block-wise runs take fewer. @default 8, as Cellpose's batch_size
   */
  tileBatchSize?: number;
}

/** One run of `segmentWithModels` may do one step only, as the app's run control asks. */
export interface SegmentWithModelsOptions extends SegmentImageOptions {
  /**
   * Nuclei found before (e.g. corrected by hand): the nuclei step does not run, and the cells
   * step grows from (or is matched to) these, as the Cellpose GUI re-runs cells with its nuclei.
   */
  nucleusLabels?: Labels;
  /** Stop after the nuclei: the cells step does not run and `cellLabels` is all background. */
  nucleiOnly?: boolean;
}

/**
 * Segments the nuclei and cells of one image as the config says (see `segmentImage`), with the
 * Cellpose models from `options.models` or `options.loadModel`: no file system, so it runs
 * wherever its models run. The browser entry exports it as `segmentImage`.
 */
export async function segmentWithModels(
  stack: Stack,
  config: AnalysisConfig,
  options: SegmentWithModelsOptions = {},
): Promise<SegmentedImage> {
  const nucleiChannel = channelIndex(stack, config.channels.nuclei);
  const cytoplasmChannel = channelIndex(stack, config.channels.cytoplasm);
  const models = options.models ?? new Map();
  const model = (name: string): Promise<CellposeModel> => {
    let found = models.get(name);
    if (!found) {
      if (!options.loadModel) {
        throw new InvalidArgumentError(`the Cellpose model "${name}" was not given`, {
          hint: 'open it (e.g. cellposeModelFromSession) and pass it in options.models',
        });
      }
      found = options.loadModel(name);
      models.set(name, found);
    }
    return found;
  };
  const steps: string[] = [];
  const progress = options.onProgress ?? (() => undefined);

  progress('nuclei', 0, 1);
  let nucleusLabels: Labels;
  let nucleusDiameterPx: number | undefined;
  const nuclei = config.nuclei;
  if (options.nucleusLabels) {
    const { width, height } = stack.planes[0];
    if (options.nucleusLabels.width !== width || options.nucleusLabels.height !== height)
      throw new InvalidArgumentError(
        `the nuclei given are ${options.nucleusLabels.width}×${options.nucleusLabels.height}, the image ${width}×${height}`,
      );
    nucleusLabels = options.nucleusLabels;
    steps.push('nuclei: kept from before');
  } else if (nuclei.method === 'classical') {
    const result = segmentNucleiClassical(stack.planes[nucleiChannel], {
      diameterPx: nuclei.diameter === 'auto' ? undefined : nuclei.diameter,
      threshold: nuclei.threshold,
      smoothingSigma: nuclei.smoothingSigma,
      split: nuclei.split,
      minAreaPx: nuclei.minAreaPx,
    });
    nucleusLabels = result.labels;
    nucleusDiameterPx = result.diameterPx;
    steps.push(
      `nuclei: classical, threshold ${round(result.threshold)}, diameter ${round(result.diameterPx)} px, ${result.count} nuclei`,
    );
  } else {
    const result = await cellposeStep(
      stack,
      nuclei,
      await model(nuclei.model),
      [nucleiChannel + 1, 0],
      options.cellposeBounds?.nuclei,
      { ...options, threads: options.threads ?? config.threads },
      (done, total, stage) => progress('nuclei', done, total, stage),
    );
    nucleusLabels = result.masks;
    nucleusDiameterPx = result.diameter;
    steps.push(`nuclei: Cellpose ${nuclei.model}, diameter ${round(result.diameter)} px`);
  }

  options.signal?.throwIfAborted();
  if (options.nucleiOnly) {
    const { width, height } = stack.planes[0];
    steps.push('cells: not segmented (nuclei only)');
    return { nucleusLabels, cellLabels: createLabels(width, height), nucleusDiameterPx, steps };
  }
  progress('cells', 0, 1);
  let cellLabels: Labels;
  let cellDiameterPx: number | undefined;
  const cells = config.cells;
  if (cells.method === 'from-nuclei') {
    if (cells.growth === 'distance' && cells.maxDistancePx === undefined) {
      throw new InvalidArgumentError("cells.growth 'distance' needs cells.maxDistancePx");
    }
    const result = segmentCellsFromNuclei(nucleusLabels, stack.planes[cytoplasmChannel], {
      method: cells.growth,
      threshold: cells.threshold,
      smoothingSigma: cells.smoothingSigma,
      maxDistancePx: cells.maxDistancePx,
    });
    cellLabels = result.labels;
    steps.push(
      `cells: grown from the nuclei (${cells.growth}, threshold ${round(result.threshold)})`,
    );
  } else {
    const channels: [number, number] = [
      cytoplasmChannel + 1,
      cells.useNuclearChannel ? nucleiChannel + 1 : 0,
    ];
    const result = await cellposeStep(
      stack,
      cells,
      await model(cells.model),
      channels,
      options.cellposeBounds?.cells,
      { ...options, threads: options.threads ?? config.threads },
      (done, total, stage) => progress('cells', done, total, stage),
    );
    const aware = nucleusAwareCells(nucleusLabels, result, {
      mode: cells.nucleusAware,
      cellprobThreshold: cells.cellprobThreshold,
      dropCellsWithoutNucleus: cells.dropCellsWithoutNucleus,
    });
    cellLabels = aware.cellLabels;
    cellDiameterPx = result.diameter;
    steps.push(
      `cells: Cellpose ${cells.model}, diameter ${round(result.diameter)} px` +
        (aware.summary ? `; ${cells.nucleusAware}: ${aware.summary}` : ''),
    );
  }
  return { nucleusLabels, cellLabels, nucleusDiameterPx, cellDiameterPx, steps };
}

/** A config's Cellpose step (nuclei or cells) on the given 1-based Cellpose channels. */
function cellposeStep(
  stack: Stack,
  step: {
    diameter?: number | 'auto';
    largeObjectCheck: boolean;
    flowThreshold: number;
    cellprobThreshold: number;
    minSize: number;
  },
  model: CellposeModel,
  channels: [number, number],
  bounds: [number, number][] | undefined,
  run: Pick<SegmentImageOptions, 'threads' | 'signal' | 'tileBatchSize'>,
  onProgress: (done: number, total: number, stage: CellposeStage) => void,
) {
  return segmentCellpose(stack, {
    model,
    channels,
    diameter: step.diameter,
    largeObjectCheck: step.largeObjectCheck,
    flowThreshold: step.flowThreshold,
    cellprobThreshold: step.cellprobThreshold,
    minSize: step.minSize,
    ...(bounds && { normalize: { lowhigh: bounds } }),
    threads: run.threads,
    signal: run.signal,
    ...(run.tileBatchSize && { tile: { batchSize: run.tileBatchSize } }),
    onProgress,
  });
}

function round(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(4));
}
