import { InvalidArgumentError } from '../errors.js';
import { createStack } from '../image/stack.js';
import { selectChannel } from '../image/stack.js';
import type { Labels } from '../image/types.js';
import { writeFileAtomic } from '../io/files.js';
import { encodePng } from '../io/raster.js';
import { readChannels } from '../io/read-image.js';
import { writeTiffFile } from '../io/tiff/write-file.js';
import { compositeRgba, DEFAULT_CHANNEL_COLOURS } from '../plot/composite.js';
import { drawOutlines } from '../plot/overlay.js';
import { CELL_METHODS, segmentCellsFromNuclei, type CellMethod } from '../segment/cells.js';
import { segmentNucleiClassical } from '../segment/nuclei.js';
import { THRESHOLD_METHODS, type ThresholdMethod } from '../segment/threshold/index.js';
import { assertDistinctOutputs, type PlannedOutput } from './outputs.js';
import type { CellposeCommandOptions } from './segment-cellpose.js';
import { siblingPath } from './sibling-path.js';

export interface SegmentCommandOptions extends Omit<CellposeCommandOptions, 'diameter'> {
  method: string;
  channel: string;
  out: string;
  diameter?: number | 'auto';
  threshold?: string;
  smoothing?: number;
  split: boolean;
  minArea?: number;
  cellsFromNuclei?: boolean;
  cellChannel?: string;
  cellMethod?: string;
  cellThreshold?: string;
  nucleiOut?: string;
  overlay?: string;
  z?: number;
  t?: number;
  /** `--block-size`: pixels, auto (by memory, for images read lazily) or off. */
  blockSize?: string;
}

/** Parses `otsu`, `li`, … or a number. */
export function parseThreshold(
  value: string | undefined,
  flag: string,
): ThresholdMethod | number | undefined {
  if (value === undefined) return undefined;
  if ((THRESHOLD_METHODS as readonly string[]).includes(value)) return value as ThresholdMethod;
  const number = Number(value);
  if (value.trim() !== '' && Number.isFinite(number)) return number;
  throw new InvalidArgumentError(
    `${flag} must be one of ${THRESHOLD_METHODS.join(', ')} or a number, got "${value}"`,
  );
}

/** `cellscope segment`: nuclei by classical thresholding, optionally grown into cells. */
export async function runSegment(
  images: string[],
  options: SegmentCommandOptions,
  log: (line: string) => void,
): Promise<void> {
  assertDistinctOutputs(plannedOutputs(options), images);
  // Large images go block by block; those that fit in one block keep the one-shot path.
  const { runSegmentBlocks } = await import('./segment-blocks.js');
  const blockOptions = {
    ...options,
    threshold: parseThreshold(options.threshold, '--threshold'),
    cellThreshold: parseThreshold(options.cellThreshold, '--cell-threshold'),
  };
  if (await runSegmentBlocks(images, blockOptions, log)) return;
  if (options.method === 'cellpose') {
    // The network's modules (onnx-proto alone costs ~70 ms) load only for --method cellpose.
    const { runSegmentCellpose } = await import('./segment-cellpose.js');
    await runSegmentCellpose(images, options, log);
    return;
  }
  if (options.method !== 'threshold') {
    throw new InvalidArgumentError(`unknown --method "${options.method}"`, {
      hint: 'threshold or cellpose',
    });
  }
  if (options.cellsFromNuclei && options.cellChannel === undefined) {
    throw new InvalidArgumentError('--cells-from-nuclei needs --cell-channel <index|name>');
  }
  if (
    options.cellMethod !== undefined &&
    !(CELL_METHODS as readonly string[]).includes(options.cellMethod)
  ) {
    throw new InvalidArgumentError(`--cell-method must be one of ${CELL_METHODS.join(', ')}`);
  }
  const nucleiThreshold = parseThreshold(options.threshold, '--threshold');
  const cellThreshold = parseThreshold(options.cellThreshold, '--cell-threshold');
  const protect = images;
  const stack = await readChannels(images, { z: options.z, t: options.t });
  const nucleusPlane = selectChannel(stack, options.channel);

  const nuclei = segmentNucleiClassical(nucleusPlane, {
    diameterPx: options.diameter === 'auto' ? undefined : options.diameter,
    threshold: nucleiThreshold,
    smoothingSigma: options.smoothing,
    split: options.split,
    minAreaPx: options.minArea,
  });
  log(
    `${nuclei.count} nuclei (threshold ${round(nuclei.threshold)}, diameter ${round(nuclei.diameterPx)} px)`,
  );

  const pixelSizeUm = stack.pixelSizeUm;
  let cells: Labels | undefined;
  if (options.cellsFromNuclei) {
    const cellPlane = selectChannel(stack, options.cellChannel as string);
    const result = segmentCellsFromNuclei(nuclei.labels, cellPlane, {
      method: options.cellMethod as CellMethod | undefined,
      threshold: cellThreshold,
    });
    cells = result.labels;
    log(`${nuclei.count} cells grown from the nuclei (threshold ${round(result.threshold)})`);
    const nucleiOut = options.nucleiOut ?? siblingPath(options.out, '_nuclei');
    await writeTiffFile(options.out, cells, { protect, pixelSizeUm });
    await writeTiffFile(nucleiOut, nuclei.labels, {
      protect: [...protect, options.out],
      pixelSizeUm,
    });
    log(`wrote ${options.out} (cells) and ${nucleiOut} (nuclei)`);
  } else {
    await writeTiffFile(options.out, nuclei.labels, { protect, pixelSizeUm });
    if (options.nucleiOut)
      await writeTiffFile(options.nucleiOut, nuclei.labels, { protect, pixelSizeUm });
    log(`wrote ${options.out}`);
  }

  if (options.overlay) {
    const channels = [
      nucleusPlane,
      ...(cells ? [selectChannel(stack, options.cellChannel as string)] : []),
    ];
    let rgba = compositeRgba(createStack(channels), { colours: DEFAULT_CHANNEL_COLOURS });
    if (cells) rgba = drawOutlines(rgba, cells, { colour: [255, 255, 255] });
    rgba = drawOutlines(rgba, nuclei.labels, { colour: [255, 200, 0] });
    await writeFileAtomic(options.overlay, await encodePng(rgba), { protect });
    log(`wrote ${options.overlay}`);
  }
}

/** Every file `segment` will write with these options, for one check before any work. */
export function plannedOutputs(options: SegmentCommandOptions): PlannedOutput[] {
  const cellpose = options.method === 'cellpose';
  return [
    { flag: '--out', path: options.out },
    options.nucleiOut === undefined && options.cellsFromNuclei && !cellpose
      ? { flag: "--out's nuclei (<out>_nuclei.tif)", path: siblingPath(options.out, '_nuclei') }
      : { flag: '--nuclei-out', path: options.nucleiOut },
    {
      flag: '--save-flows (<out>_flows.tif)',
      path: cellpose && options.saveFlows ? siblingPath(options.out, '_flows') : undefined,
    },
    { flag: '--overlay', path: options.overlay },
  ];
}

function round(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(5));
}
