import { join, relative } from 'node:path';
import { writeLabelExports } from '../export/write-exports.js';
import type { Stack } from '../image/types.js';
import { encodePng } from '../io/raster.js';
import { writeTiffFile } from '../io/tiff/write-file.js';
import { overlayGrid } from '../plot/overlay-grid.js';
import type { AnalysisConfig } from './config.js';
import { measureSegmented } from './measure-segmented.js';
import { segmentImage, type ModelCache } from './segment-image.js';
import { writeAnalysis, type ImageSummary } from './write-analysis.js';

export type { ImageSummary } from './write-analysis.js';

export interface AnalyzeImageOptions {
  /** Folder for this image's outputs (created if needed). */
  outDir: string;
  /** The image's name in titles and tables. @default 'image' */
  name?: string;
  /** Input files, never overwritten. */
  protect?: readonly string[];
  /** Cellpose models shared by the images of a batch. */
  models?: ModelCache;
  /** Called as each step starts. */
  onProgress?: (step: string) => void;
  signal?: AbortSignal;
  /** Threads for Cellpose's network and dynamics. @default `config.threads`, else the cores */
  threads?: number;
}

/**
 * The notebook's workflow on one image: segment nuclei and cells, measure both, match each
 * cell to its nucleus, answer questions A–F, and write labels, tables, plots, the overlay grid,
 * `summary.json` and a self-contained `report.html` into `outDir` (each file atomically).
 */
export async function analyzeImage(
  stack: Stack,
  config: AnalysisConfig,
  options: AnalyzeImageOptions,
): Promise<ImageSummary> {
  const { outDir, signal } = options;
  const name = options.name ?? 'image';
  const protect = options.protect ?? [];
  const progress = options.onProgress ?? (() => undefined);
  const outputs: string[] = [];
  const checkAbort = (): void => signal?.throwIfAborted();

  progress('segmenting');
  const segmented = await segmentImage(stack, config, {
    models: options.models,
    signal,
    threads: options.threads,
  });
  const { nucleusLabels, cellLabels } = segmented;
  checkAbort();

  progress('measuring');
  const measuredImage = measureSegmented(stack, config, nucleusLabels, cellLabels);
  const { channels: measured, matched } = measuredImage;
  const nucleiTable = measuredImage.nuclei;
  checkAbort();

  progress('writing labels');
  const pixelSize = config.pixelSizeUm;
  const pixelSizeUm = pixelSize ? { x: pixelSize, y: pixelSize } : stack.pixelSizeUm;
  for (const [file, labels] of [
    ['nuclei.tif', nucleusLabels],
    ['cells.tif', cellLabels],
  ] as const) {
    await writeTiffFile(join(outDir, file), labels, { protect, pixelSizeUm });
    outputs.push(file);
  }

  const exports = [...new Set(config.outputs.exports ?? [])];
  // Cells carry their nuclei (GeoJSON cells, OME-Zarr labels/nuclei); Fiji and TIFF get both.
  const writeExports = async (): Promise<string[]> => {
    const written = await writeLabelExports(
      join(outDir, 'cells'),
      exports,
      { labels: cellLabels, measurements: matched, nuclei: nucleusLabels, pixelSizeUm },
      protect,
    );
    const nucleusFormats = exports.filter((f) => f === 'roi-zip' || f === 'tiff');
    written.push(
      ...(await writeLabelExports(
        join(outDir, 'nuclei'),
        nucleusFormats,
        { labels: nucleusLabels, measurements: nucleiTable, pixelSizeUm },
        protect,
      )),
    );
    return written.map((path) => relative(outDir, path));
  };
  const drawOverlay = async (): Promise<Uint8Array> =>
    encodePng(
      overlayGrid({
        stack,
        nucleusLabels,
        cellLabels,
        nucleusChannel: measured[0],
        cellChannel: measured[1] ?? measured[0],
        maxPanelWidth: 1024,
      }),
    );
  return writeAnalysis(measuredImage, config, {
    outDir,
    name,
    protect,
    progress,
    signal,
    outputs,
    steps: segmented.steps,
    writeExports: exports.length > 0 ? writeExports : undefined,
    drawOverlay,
  });
}
