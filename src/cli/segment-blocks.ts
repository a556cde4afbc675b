import { copyFile, stat } from 'node:fs/promises';
import { freemem } from 'node:os';
import { InvalidArgumentError } from '../errors.js';
import type { RegionSource } from '../image/region.js';
import { assertNotProtected, openFileSource } from '../io/files.js';
import { openRegionSource } from '../io/open-region-source.js';
import { sniffFormat } from '../io/read-image.js';
import { blockLabelSink as streamingSink } from '../io/tiff/label-strip-sink.js';
import { segmentClassicalBlocks } from '../segment/blocks/classical-blocks.js';
import { autoBlockSize, parseBlockSize, resolveBlockSize } from '../segment/blocks/plan.js';
import type { CellMethod } from '../segment/cells.js';
import type { ThresholdMethod } from '../segment/threshold/index.js';
import type { CellposeCommandOptions } from './segment-cellpose.js';
import { siblingPath } from './sibling-path.js';

/** What `segment` passes on: its options, with the thresholds already parsed. */
export interface BlockSegmentOptions extends Omit<CellposeCommandOptions, 'diameter'> {
  method: string;
  channel: string;
  diameter?: number | 'auto';
  threshold?: ThresholdMethod | number;
  smoothing?: number;
  split: boolean;
  minArea?: number;
  cellsFromNuclei?: boolean;
  cellChannel?: string;
  cellMethod?: string;
  cellThreshold?: ThresholdMethod | number;
  blockSize?: string;
}

/** Peak bytes per pixel of a padded block: float64 smoothing and distances, labels, heaps. */
const CLASSICAL_BYTES_PER_PIXEL = 80;
/** Network input and output planes, flows, dynamics coordinates and labels (float32). */
const CELLPOSE_BYTES_PER_PIXEL = 160;

/** Memory one block may take: a quarter of what is free now, at most 1 GiB. */
export function blockMemoryBudget(): number {
  return Math.min(freemem() / 4, 1024 ** 3);
}

/** The channel index a `--channel` value names (index or name). */
function channelOf(source: RegionSource, value: string, flag: string): number {
  const index = /^\d+$/.test(value) ? Number(value) : source.channelNames.indexOf(value);
  if (!(index >= 0 && index < source.channelNames.length)) {
    throw new InvalidArgumentError(
      `${flag} "${value}" does not exist: the image has channels ${source.channelNames.map((n, i) => `${i} (${n})`).join(', ')}`,
    );
  }
  return index;
}

/**
 * `cellscope segment` block by block, when `--block-size` asks for it or the image is larger
 * than the block that fits in memory: the input is read region by region (tiled TIFF, OME-Zarr)
 * and only the stitched labels are held whole. Returns false, having done nothing, when the
 * image fits in one block: the one-shot path then runs as before.
 */
export async function runSegmentBlocks(
  images: string[],
  options: BlockSegmentOptions,
  log: (line: string) => void,
): Promise<boolean> {
  const setting = parseBlockSize(options.blockSize ?? 'auto');
  // An OME-Zarr folder has no one-shot reader: one block covering the image is the same run.
  const folder =
    images.length === 1 && ((await stat(images[0]).catch(() => undefined))?.isDirectory() ?? false);
  if (setting === 'off' && !folder) return false;
  // auto looks only at inputs read lazily: a file decoded whole has already cost its memory.
  if (setting === 'auto' && !(await readsLazily(images, options))) return false;
  const cellpose = options.method === 'cellpose';
  const source = await openRegionSource(images, { z: options.z, t: options.t });
  try {
    const resolved = resolveBlockSize(folder && setting === 'off' ? 'auto' : setting, source, () =>
      autoBlockSize({
        memoryBytes: blockMemoryBudget(),
        bytesPerPixel: cellpose ? CELLPOSE_BYTES_PER_PIXEL : CLASSICAL_BYTES_PER_PIXEL,
        overlap: 128,
      }),
    );
    if (resolved === undefined && !folder) return false;
    const blockSize = resolved ?? Math.max(source.width, source.height);
    const unsupported = [
      ['--overlay', options.overlay],
      ['--save-flows', options.saveFlows],
      ['--nucleus-aware', options.nucleusAware !== undefined && options.nucleusAware !== 'off'],
      ['--drop-cells-without-nucleus', options.dropCellsWithoutNucleus],
    ].filter(([, given]) => given);
    if (unsupported.length > 0) {
      throw new InvalidArgumentError(
        `${unsupported.map(([flag]) => flag).join(', ')} work on whole images only, not block-wise`,
        { hint: 'add --block-size off (the image is then held in memory at once)' },
      );
    }
    const started = performance.now();
    const progress = (done: number, total: number): void => {
      if (done === total || done % 10 === 0) log(`block ${done} of ${total}`);
    };
    const protect = images;
    const pixelSizeUm = source.pixelSizeUm;
    const seconds = (): string => ((performance.now() - started) / 1000).toFixed(1);
    if (cellpose) {
      // The network's modules load only for --method cellpose, as in the one-shot path.
      const [
        { loadCellposeModel },
        { segmentCellposeBlocks },
        { parseCellposeChannels, largeObjectNote },
      ] = await Promise.all([
        import('../cellpose/model.js'),
        import('../cellpose/blocks/segment-cellpose-blocks.js'),
        import('./segment-cellpose.js'),
      ]);
      const model = await loadCellposeModel(options.model, {
        download: options.download,
        threads: options.threads,
      });
      const sink = streamingSink(options.out, source, blockSize, { protect, pixelSizeUm });
      try {
        const result = await segmentCellposeBlocks(source, {
          model,
          blockSize,
          sink,
          diameter: options.diameter,
          channels: parseCellposeChannels(options.channels),
          flowThreshold: options.flowThreshold,
          cellprobThreshold: options.cellprobThreshold,
          minSize: options.minSize,
          augment: options.augment,
          resample: options.resample,
          largeObjectCheck: options.largeObjectCheck,
          niter: options.niter,
          threads: options.threads,
          onProgress: progress,
        });
        log(
          `${result.counts[0].kept} masks with ${model.name} (diameter ${Number(result.diameter.toPrecision(5))} px) ` +
            `in ${result.blocks} blocks of ${blockSize} px (overlap ${result.overlap} px) in ${seconds()} s` +
            truncatedNote(result.counts[0].truncated),
        );
        const note = largeObjectNote(result.estimate);
        if (note) log(note);
        sink.finish();
      } catch (error) {
        sink.abort();
        throw error;
      } finally {
        await model.release();
      }
      log(`wrote ${options.out}`);
      return true;
    }
    if (options.cellsFromNuclei && options.cellChannel === undefined) {
      throw new InvalidArgumentError('--cells-from-nuclei needs --cell-channel <index|name>');
    }
    const nucleiOut = options.cellsFromNuclei
      ? (options.nucleiOut ?? siblingPath(options.out, '_nuclei'))
      : options.out;
    const nuclei = streamingSink(nucleiOut, source, blockSize, { protect, pixelSizeUm });
    const cells = options.cellsFromNuclei
      ? streamingSink(options.out, source, blockSize, {
          protect: [...protect, nucleiOut],
          pixelSizeUm,
        })
      : undefined;
    const sinks = [nuclei, ...(cells ? [cells] : [])];
    let result;
    try {
      result = await segmentClassicalBlocks(source, {
        blockSize,
        channel: channelOf(source, options.channel, '--channel'),
        diameterPx: options.diameter === 'auto' ? undefined : options.diameter,
        threshold: options.threshold,
        smoothingSigma: options.smoothing,
        split: options.split,
        minAreaPx: options.minArea,
        nucleusSink: nuclei,
        cells: cells && {
          channel: channelOf(source, options.cellChannel as string, '--cell-channel'),
          sink: cells,
          method: options.cellMethod as CellMethod | undefined,
          threshold: options.cellThreshold,
        },
        onProgress: progress,
      });
      for (const sink of sinks) sink.finish();
    } catch (error) {
      for (const sink of sinks) sink.abort();
      throw error;
    }
    log(
      `${result.counts[0].kept} nuclei (threshold ${Number(result.threshold.toPrecision(5))}, ` +
        `diameter ${Number(result.diameterPx.toPrecision(5))} px) in ${result.blocks} blocks of ` +
        `${blockSize} px (overlap ${result.overlap} px) in ${seconds()} s` +
        truncatedNote(result.counts[0].truncated),
    );
    if (cells) {
      log(`wrote ${options.out} (cells) and ${nucleiOut} (nuclei)`);
    } else {
      if (options.nucleiOut) {
        assertNotProtected(options.nucleiOut, protect);
        await copyFile(options.out, options.nucleiOut);
      }
      log(`wrote ${options.out}`);
    }
    return true;
  } finally {
    await source.close();
  }
}

async function readsLazily(images: string[], options: BlockSegmentOptions): Promise<boolean> {
  if (images.length !== 1 || options.z !== undefined || options.t !== undefined) return false;
  const info = await stat(images[0]).catch(() => undefined);
  if (!info) return false;
  if (info.isDirectory()) return true;
  const file = await openFileSource(images[0]);
  try {
    return sniffFormat(file.read(0, 16)) === 'tiff';
  } finally {
    await file.close();
  }
}

function truncatedNote(truncated: number): string {
  return truncated > 0
    ? `; ${truncated} objects reach past the overlap and may be cut (raise --block-size)`
    : '';
}
