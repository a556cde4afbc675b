import { loadCellposeModel } from '../cellpose/model.js';
import { DEFAULT_MODELS } from '../cellpose/models/packaged.js';
import { segmentCellpose, type DiameterEstimate } from '../cellpose/segment-cellpose.js';
import { InvalidArgumentError } from '../errors.js';
import { createStack } from '../image/stack.js';
import { writeFileAtomic } from '../io/files.js';
import { encodePng } from '../io/raster.js';
import { readChannels } from '../io/read-image.js';
import { writeTiffFile } from '../io/tiff/write-file.js';
import { compositeRgba, DEFAULT_CHANNEL_COLOURS } from '../plot/composite.js';
import { drawOutlines } from '../plot/overlay.js';
import {
  NUCLEUS_AWARE_MODES,
  nucleusAwareCells,
  type NucleusAwareMode,
} from '../pipeline/nucleus-aware-cells.js';
import { siblingPath } from './sibling-path.js';
import { CELLPOSE_DEFAULTS } from '../cellpose/defaults.js';

export interface CellposeCommandOptions {
  out: string;
  model: string;
  diameter?: number | 'auto';
  channels?: string;
  flowThreshold?: number;
  cellprobThreshold?: number;
  minSize?: number;
  augment?: boolean;
  resample: boolean;
  largeObjectCheck?: boolean;
  niter?: number;
  download?: boolean;
  saveFlows?: boolean;
  overlay?: string;
  /** How the cells use the nuclei (off, merge-fragments, hybrid); nuclei from --channels' second. */
  nucleusAware?: string;
  nucleiModel?: string;
  nucleiOut?: string;
  dropCellsWithoutNucleus?: boolean;
  z?: number;
  t?: number;
  /** `--threads`: for the network and the dynamics. @default the machine's cores */
  threads?: number;
}

/** `--channels 2,1`: Cellpose's 1-based [channel to segment, nuclear channel]; 0 = none/gray. */
export function parseCellposeChannels(value: string | undefined): [number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if (
    parts.length !== 2 ||
    !numbers.every((n, i) => parts[i] !== '' && Number.isInteger(n) && n >= 0)
  ) {
    throw new InvalidArgumentError(
      `--channels must be two channel numbers like 2,1, got "${value}"`,
      {
        hint: '1-based as in Cellpose: the channel to segment, then the nuclear channel (0 = none)',
      },
    );
  }
  return [numbers[0], numbers[1]];
}

/** `cellscope segment --method cellpose`: Cellpose masks, optionally with flows and an overlay. */
export async function runSegmentCellpose(
  images: string[],
  options: CellposeCommandOptions,
  log: (line: string) => void,
): Promise<void> {
  const channels = parseCellposeChannels(options.channels);
  const aware = checkNucleusAware(options, channels);
  const stack = await readChannels(images, { z: options.z, t: options.t });
  const model = await loadCellposeModel(options.model, {
    download: options.download,
    threads: options.threads,
    onProgress: (received, total, file) =>
      log(
        `downloading ${file}: ${(received / 1e6).toFixed(1)}${total ? ` of ${(total / 1e6).toFixed(1)}` : ''} MB`,
      ),
  });
  try {
    const started = performance.now();
    const result = await segmentCellpose(stack, {
      model,
      diameter: options.diameter,
      channels,
      flowThreshold: options.flowThreshold,
      cellprobThreshold: options.cellprobThreshold,
      minSize: options.minSize,
      augment: options.augment,
      resample: options.resample,
      largeObjectCheck: options.largeObjectCheck,
      niter: options.niter,
      threads: options.threads,
    });
    const count = new Set(result.masks.data).size - (result.masks.data.includes(0) ? 1 : 0);
    log(
      `${count} masks with ${model.name} (diameter ${Number(result.diameter.toPrecision(5))} px) ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const note = largeObjectNote(result.estimate);
    if (note) log(note);
    const protect = images;
    const pixelSizeUm = stack.pixelSizeUm;
    let masks = result.masks;
    if (aware.mode !== 'off' || options.dropCellsWithoutNucleus) {
      const nucleiModel = await loadCellposeModel(options.nucleiModel ?? DEFAULT_MODELS.nuclei, {
        download: options.download,
        threads: options.threads,
      });
      let nuclei;
      try {
        nuclei = await segmentCellpose(stack, {
          model: nucleiModel,
          channels: [aware.nuclearChannel, 0],
          diameter: 'auto',
          resample: options.resample,
          threads: options.threads,
        });
      } finally {
        await nucleiModel.release();
      }
      const cells = nucleusAwareCells(nuclei.masks, result, {
        mode: aware.mode,
        cellprobThreshold: options.cellprobThreshold ?? CELLPOSE_DEFAULTS.cellprobThreshold,
        dropCellsWithoutNucleus: options.dropCellsWithoutNucleus ?? false,
      });
      masks = cells.cellLabels;
      const cellCount = new Set(masks.data).size - (masks.data.includes(0) ? 1 : 0);
      log(`${cellCount} cells with ${nucleiModel.name} nuclei (${aware.mode}): ${cells.summary}`);
      const nucleiOut = options.nucleiOut ?? siblingPath(options.out, '_nuclei');
      await writeTiffFile(nucleiOut, nuclei.masks, {
        protect: [...protect, options.out],
        pixelSizeUm,
      });
      log(`wrote ${nucleiOut} (nuclei)`);
    }
    await writeTiffFile(options.out, masks, { protect, pixelSizeUm });
    log(`wrote ${options.out}`);
    if (options.saveFlows) {
      const flowsPath = siblingPath(options.out, '_flows');
      const { dY, dX, cellprob } = result.flows;
      const flows = createStack([dY, dX, cellprob], { channelNames: ['dY', 'dX', 'cellprob'] });
      await writeTiffFile(flowsPath, flows, { protect: [...protect, options.out] });
      log(`wrote ${flowsPath} (dY, dX, cell probability logit)`);
    }
    if (options.overlay) {
      let rgba = compositeRgba(createStack(stack.planes.slice(0, 3)), {
        colours: DEFAULT_CHANNEL_COLOURS,
      });
      rgba = drawOutlines(rgba, masks, { colour: [255, 255, 255] });
      await writeFileAtomic(options.overlay, await encodePng(rgba), { protect });
      log(`wrote ${options.overlay}`);
    }
  } finally {
    await model.release();
  }
}

/** The line `segment` adds where the large-object check moved Cellpose's estimate. */
export function largeObjectNote(estimate: DiameterEstimate | undefined): string | undefined {
  if (!estimate || estimate.diameter === estimate.twoStageDiameter) return undefined;
  return (
    `  objects larger than the size model knows: Cellpose's estimate was ` +
    `${Number(estimate.twoStageDiameter.toPrecision(4))} px (--no-large-object-check keeps it)`
  );
}

/** `--nucleus-aware` needs the nuclei, so `--channels` must name a nuclear channel. */
function checkNucleusAware(
  options: CellposeCommandOptions,
  channels: [number, number] | undefined,
): { mode: NucleusAwareMode; nuclearChannel: number } {
  const mode = (options.nucleusAware ?? 'off') as NucleusAwareMode;
  if (!NUCLEUS_AWARE_MODES.includes(mode)) {
    throw new InvalidArgumentError(
      `--nucleus-aware must be one of ${NUCLEUS_AWARE_MODES.join(', ')}, got "${mode}"`,
    );
  }
  const needsNuclei = mode !== 'off' || options.dropCellsWithoutNucleus;
  if (needsNuclei && !(channels && channels[1] > 0)) {
    throw new InvalidArgumentError(
      `--nucleus-aware ${mode} and --drop-cells-without-nucleus need the nuclei`,
      { hint: 'name the nuclear channel as the second of --channels, e.g. --channels 2,1' },
    );
  }
  return { mode, nuclearChannel: channels?.[1] ?? 0 };
}
