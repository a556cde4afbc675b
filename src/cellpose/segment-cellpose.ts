import type { Labels, Plane, Stack } from '../image/types.js';
import { checkDiameter } from '../segment/check-size.js';
import { checkNetworkScale } from './check-scale.js';
import { computeMasksThreaded } from './dynamics/compute-masks.js';
import { defaultNiter } from './dynamics/default-niter.js';
import type { CellposeModel } from './cellpose-model.js';
import { diameterFromStyle } from './size-model.js';
import { convertImage, type ChannelSelection } from './transforms/convert-image.js';
import { normalizeImage, type NormalizeImageOptions } from './transforms/normalize.js';
import { runNet } from './transforms/run-net.js';
import type { Float32Plane } from './transforms/types.js';

export interface SegmentCellposeOptions {
  model: CellposeModel;
  /**
   * Typical object diameter in pixels: the image is scaled by `diamMean / diameter` for the
   * network. `'auto'` estimates it with the model's size model (Cellpose's `diameter=0`).
   * @default the model's diamMean (no rescaling)
   */
  diameter?: number | 'auto';
  /**
   * Cellpose's `[channel to segment, nuclear channel]`, 1-based; 0 first means grayscale (mean
   * of all channels), 0 second means no nuclear channel. `[2, 1]`: cytoplasm in channel 2,
   * nuclei in channel 1. Undefined keeps the first two channels (`CellposeModel.eval`).
   */
  channels?: ChannelSelection;
  /** Percentile normalisation (true) or its options; false feeds raw values. @default true */
  normalize?: boolean | Omit<NormalizeImageOptions, 'normalize'>;
  /** Masks whose flow error exceeds this are removed; 0 turns the check off. @default 0.4 */
  flowThreshold?: number;
  /** Foreground is `cellprob > cellprobThreshold` (logit). @default 0 */
  cellprobThreshold?: number;
  /** Masks with fewer pixels are removed (−1 keeps all). @default 15 */
  minSize?: number;
  /** Masks larger than this fraction of the image are removed. @default 0.4 */
  maxSizeFraction?: number;
  /**
   * With `diameter: 'auto'`, measure again at twice the estimate and follow objects larger than
   * the size model's range (cellscope's addition; false gives Cellpose's two stages exactly).
   * @default true
   */
  largeObjectCheck?: boolean;
  /** Flip test-time augmentation. @default false */
  augment?: boolean;
  /** Tile size, overlap fraction and tiles per network call. */
  tile?: { size?: number; overlap?: number; batchSize?: number };
  /** Run the dynamics at the original size (flows resized back first). @default true */
  resample?: boolean;
  /** Euler steps. @default 200 / rescale with resample, else 200 (as Cellpose) */
  niter?: number;
  /** Reproduce Cellpose 3.1's small-mask filter bug (identical output). @default true */
  cellpose31SmallMaskQuirk?: boolean;
  /** Threads for following the flows (the masks are the same for any count). @default the cores */
  threads?: number;
  /** Network progress: tiles done of total, per network run, and which run it is. */
  onProgress?: (done: number, total: number, stage: CellposeStage) => void;
  signal?: AbortSignal;
}

/**
 * The network runs of one call, in order: with `diameter: 'auto'` the size model's style, masks
 * at its guess (`size`), the large-object check (one run, or more where it follows large
 * objects), then the `masks` every call ends with.
 */
export type CellposeStage = 'style' | 'size' | 'large-objects' | 'masks';

export interface CellposeResult {
  /** Labels 1..N, 0 background, at the image size. */
  masks: Labels;
  /** The network's output at the size the dynamics used (the image size with `resample`). */
  flows: { dY: Float32Plane; dX: Float32Plane; cellprob: Float32Plane };
  /** The image's style vector (L2-normalised). */
  styles: Float32Array;
  /** The diameter used, in pixels (estimated with `diameter: 'auto'`). */
  diameter: number;
  /** How `diameter: 'auto'` found it; absent for a given diameter. */
  estimate?: DiameterEstimate;
}

/**
 * Segments cells or nuclei with a Cellpose 1–3 model, as Cellpose 3.1.1.3
 * `CellposeModel.eval` (and `Cellpose.eval` for `diameter: 'auto'`): channel selection,
 * percentile normalisation, rescaling by `diamMean / diameter`, tiled network with taper
 * blending, flows resized back, then flows → masks with the flow-error check, hole filling and
 * the size filters.
 */
export async function segmentCellpose(
  image: Stack | Plane,
  options: SegmentCellposeOptions,
): Promise<CellposeResult> {
  const { model } = options;
  const stack = 'planes' in image ? image.planes : [image];
  if (options.diameter !== 'auto' && stack.length > 0) {
    // A given diameter is checked against the image and the network's budget before any work.
    const { width, height } = stack[0];
    const given = checkDiameter(options.diameter ?? model.diamMean, width, height);
    checkNetworkScale(model.diamMean / given, width, height, given);
  }
  const input = normalizeInput(stack, options);
  const [height, width] = [input[0].height, input[0].width];

  let diameter: number;
  let estimate: DiameterEstimate | undefined;
  if (options.diameter === 'auto') {
    estimate = await estimateFromInput(input, options);
    diameter = estimate.diameter;
    checkNetworkScale(model.diamMean / diameter, width, height, diameter);
  } else {
    diameter = options.diameter ?? model.diamMean;
  }
  const rescale = model.diamMean / diameter;
  const resample = options.resample ?? true;
  const run = await runNet(input, model.forward, {
    rescale,
    resample,
    ...netOptions(options, 'masks'),
  });
  const [dY, dX, cellprob] = run.flows;
  const masks = await computeMasksThreaded(flowField(dY, dX), cellprob, {
    niter: options.niter ?? defaultNiter({ rescale, resample }),
    cellprobThreshold: options.cellprobThreshold,
    flowThreshold: options.flowThreshold,
    minSize: options.minSize,
    maxSizeFraction: options.maxSizeFraction,
    resize: resample ? undefined : [height, width],
    cellpose31SmallMaskQuirk: options.cellpose31SmallMaskQuirk,
    threads: options.threads,
  });
  return { masks, flows: { dY, dX, cellprob }, styles: run.style, diameter, estimate };
}

function normalizeInput(
  planes: readonly Plane[],
  options: Pick<SegmentCellposeOptions, 'channels' | 'normalize'>,
): Float32Plane[] {
  const converted = convertImage(planes, options.channels);
  const normalize = options.normalize ?? true;
  if (normalize === false) return converted;
  return normalizeImage(converted, normalize === true ? {} : normalize);
}

function netOptions(options: Omit<SegmentCellposeOptions, 'diameter'>, stage: CellposeStage) {
  const { onProgress } = options;
  return {
    augment: options.augment,
    bsize: options.tile?.size,
    tileOverlap: options.tile?.overlap,
    batchSize: options.tile?.batchSize,
    onProgress: onProgress && ((done: number, total: number) => onProgress(done, total, stage)),
    signal: options.signal,
  };
}

function flowField(dY: Float32Plane, dX: Float32Plane) {
  const data = new Float32Array(2 * dY.data.length);
  data.set(dY.data);
  data.set(dX.data, dY.data.length);
  return { width: dY.width, height: dY.height, data };
}

/** What {@link estimateCellposeDiameter} found. */
export interface DiameterEstimate {
  /** The final estimate: the equivalent-circle diameter of the median mask, px. */
  diameter: number;
  /** The first guess (px): from the style vector, or the model's diam_mean without a size model. */
  styleDiameter: number;
  /** Cellpose's answer (px): the median mask at the first guess, before the large-object check. */
  twoStageDiameter: number;
  /**
   * The large-object check's network runs, in order: the diameter each ran at and the diameter
   * of its median mask (0 or NaN where it found nothing); empty with `largeObjectCheck: false`.
   */
  largeObjectRuns: { diameter: number; measured: number }[];
}

/**
 * Estimates the typical object diameter as Cellpose's `SizeModel.eval` does: the size model's
 * regression on the style of a first pass at `diamMean / diamLabels`, then masks at that guess
 * (no resample, no interpolation), and the equivalent-circle diameter of the median mask
 * (`utils.diameters`). Falls back to the model's diamMean where either step gives 0 or NaN.
 * A model without a size model (a custom one) skips the regression: its masks at its own
 * diam_mean give the estimate. Then, unless `largeObjectCheck: false`, cellscope measures again
 * at twice the estimate and follows objects too large for the size model (`followLargeObjects`).
 */
export async function estimateCellposeDiameter(
  image: Stack | Plane,
  options: Omit<SegmentCellposeOptions, 'diameter'>,
): Promise<DiameterEstimate> {
  const stack = 'planes' in image ? image.planes : [image];
  return estimateFromInput(normalizeInput(stack, options), options);
}

/**
 * The style vector the size model reads (`SizeModel.eval`'s first pass): the network at
 * `diamMean / diamLabels`, without resampling, after the same channel selection and
 * normalisation as {@link segmentCellpose}. Fitting a size model uses it too, so the regression
 * sees exactly what `diameter: 'auto'` will feed it.
 */
export async function cellposeStyle(
  image: Stack | Plane,
  options: Omit<SegmentCellposeOptions, 'diameter'>,
): Promise<Float32Array> {
  const stack = 'planes' in image ? image.planes : [image];
  return styleFromInput(normalizeInput(stack, options), options);
}

async function styleFromInput(
  input: Float32Plane[],
  options: Omit<SegmentCellposeOptions, 'diameter'>,
): Promise<Float32Array> {
  const { model } = options;
  const first = await runNet(input, model.forward, {
    rescale: model.diamMean / model.diamLabels,
    resample: false,
    ...netOptions(options, 'style'),
  });
  return first.style;
}

async function estimateFromInput(
  input: Float32Plane[],
  options: Omit<SegmentCellposeOptions, 'diameter'>,
): Promise<DiameterEstimate> {
  const { model } = options;
  // Without a size model, the masks at the model's own scale measure it.
  const styleDiameter = model.sizeModel
    ? diameterFromStyle(await styleFromInput(input, options), model.sizeModel)
    : model.diamMean;
  const measured = await medianDiameterAt(input, styleDiameter, options, 'size');
  const twoStageDiameter = measured > 0 ? measured : model.diamMean;
  if (options.largeObjectCheck === false) {
    return { diameter: twoStageDiameter, styleDiameter, twoStageDiameter, largeObjectRuns: [] };
  }
  // Masks far smaller than the guess they were made at are the debris of a scale the network
  // cannot read (objects many times its size): the check then starts from the guess itself.
  const start = twoStageDiameter < DEBRIS_SHARE * styleDiameter ? styleDiameter : twoStageDiameter;
  const largeObjectRuns: DiameterEstimate['largeObjectRuns'] = [];
  const look = async (diameter: number): Promise<number> => {
    const measured = await medianDiameterAt(input, diameter, options, 'large-objects');
    largeObjectRuns.push({ diameter, measured });
    return measured;
  };
  const shorterSide = Math.min(input[0].width, input[0].height);
  const followed = await followLargeObjects(shorterSide, start, look);
  return {
    diameter: followed ?? twoStageDiameter,
    styleDiameter,
    twoStageDiameter,
    largeObjectRuns,
  };
}

/** Two-stage masks below this share of the style's guess are debris (never seen at ×0.5–1.5). */
const DEBRIS_SHARE = 0.4;

/** Objects measured at twice the guess that come out this much larger were cut into fragments. */
const LARGER_OBJECTS_FACTOR = 1.7;
/** Masks at the larger size must measure at least this share of it to confirm it. */
const CONFIRMED_SHARE = 0.85;
/** Doublings followed at most: 16× beyond the two-stage estimate. */
const LARGE_OBJECT_STEPS = 4;

/**
 * The size model only knows sizes near the ones it was fitted on (about 0.5–1.5× diam_mean).
 * Objects far larger come back from the two stages as network-sized fragments, whose
 * median confirms the wrong guess. Measured again at twice the guess, whole objects keep their
 * size (or shrink as the network loses them), while the fragments of larger objects join up and
 * measure more than 1.7× the guess (where they do not, once, at four times the guess above 4×
 * it). Neighbours merged at the coarser scale can do that too, so a larger size is taken only
 * where masks at that size confirm it; then the check repeats from there, while twice the size
 * still fits the image's `shorterSide`, and masks at the last guess give the answer, as
 * Cellpose's second stage would. The thresholds were set on generated images at ×0.5–5 scale
 * (models/README.md). Each network run goes through `look`, which returns its median mask's
 * diameter. Returns undefined where it found nothing larger to follow.
 */
async function followLargeObjects(
  shorterSide: number,
  diameter: number,
  look: (diameter: number) => Promise<number>,
): Promise<number | undefined> {
  let followed = false;
  for (let step = 0; step < LARGE_OBJECT_STEPS && 2 * diameter <= shorterSide; step++) {
    let coarse = await look(2 * diameter);
    if (!(coarse > LARGER_OBJECTS_FACTOR * diameter) && step === 0 && 4 * diameter <= shorterSide) {
      // A network trained at diam_mean alone can lose objects ~10x its guess at 2x (still 5x
      // its size) yet find them whole at 4x: look there once, at a sixteenth of the pixels.
      // They count only above the look's own scale: at 4x, neighbours of the guess's size
      // join into blobs of about the network's size, that scale.
      const widerLook = 4 * diameter;
      const wider = await look(widerLook);
      if (wider > widerLook) coarse = wider;
    }
    if (!(coarse > LARGER_OBJECTS_FACTOR * diameter)) break;
    const confirmed = await look(coarse);
    if (!(confirmed >= CONFIRMED_SHARE * coarse)) break;
    diameter = confirmed;
    followed = true;
  }
  if (!followed) return undefined;
  // Pieces measured far below their objects' size still come out small: measure at the new guess.
  const measured = await look(diameter);
  return measured > 0 ? measured : diameter;
}

/**
 * The equivalent diameter of the median mask with the network run at `diameter` (Cellpose's
 * `SizeModel.eval` second stage: no resample, no interpolation, masks resized to the image);
 * 0 or NaN where nothing is found.
 */
async function medianDiameterAt(
  input: Float32Plane[],
  diameter: number,
  options: Omit<SegmentCellposeOptions, 'diameter'>,
  stage: CellposeStage,
): Promise<number> {
  const run = await runNet(input, options.model.forward, {
    rescale: options.model.diamMean / diameter,
    resample: false,
    ...netOptions(options, stage),
  });
  const [dY, dX, cellprob] = run.flows;
  const masks = await computeMasksThreaded(flowField(dY, dX), cellprob, {
    niter: 200,
    interp: false,
    cellprobThreshold: options.cellprobThreshold,
    flowThreshold: options.flowThreshold,
    minSize: options.minSize,
    maxSizeFraction: options.maxSizeFraction,
    resize: [input[0].height, input[0].width],
    cellpose31SmallMaskQuirk: options.cellpose31SmallMaskQuirk,
    threads: options.threads,
  });
  return medianEquivalentDiameter(masks);
}

/** median(√area) / (√π / 2) over the labels present: Cellpose `utils.diameters`. */
export function medianEquivalentDiameter(masks: Labels): number {
  const counts = new Map<number, number>();
  for (const label of masks.data) if (label) counts.set(label, (counts.get(label) ?? 0) + 1);
  const roots = [...counts.values()].map(Math.sqrt).sort((a, b) => a - b);
  if (roots.length === 0) return 0;
  const middle = roots.length >> 1;
  const median = roots.length % 2 ? roots[middle] : (roots[middle - 1] + roots[middle]) / 2;
  return median / (Math.sqrt(Math.PI) / 2);
}
