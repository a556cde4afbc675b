import { stat, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { exportPaths, writeLabelExports } from '../export/write-exports.js';
import type { ExportFormat } from '../export/formats.js';
import { openFileSource } from '../io/files.js';
import { readLabels } from '../io/read-labels.js';
import { parseTiff } from '../io/tiff/ifd.js';
import { regionprops } from '../measure/regionprops.js';
import { relate } from '../relate/relate.js';
import { createTable } from '../table/table.js';
import { assertDistinctOutputs, type PlannedOutput } from './outputs.js';
import { siblingPath } from './sibling-path.js';
import { plannedOutputs, type SegmentCommandOptions } from './segment.js';

/** `--export`: the formats, parsed and checked by commander before any work. */
export interface SegmentExportOptions {
  export?: ExportFormat[];
}

/** The SubIFDs tag: an OME-TIFF keeps its pyramid levels there. */
const TAG_SUB_IFDS = 330;

/** Before any work: no export may replace an input or another output of the run. */
export async function checkSegmentExports(
  images: readonly string[],
  options: SegmentCommandOptions & SegmentExportOptions,
): Promise<void> {
  assertDistinctOutputs(
    [...plannedOutputs(options), ...(await plannedExports(images, options))],
    images,
  );
}

/** Every file `--export` will write. */
async function plannedExports(
  images: readonly string[],
  options: SegmentCommandOptions & SegmentExportOptions,
): Promise<PlannedOutput[]> {
  if (!options.export?.length) return [];
  const layout = await inputLayout(images);
  // Labels added to the input's own OME-Zarr store are meant to go into that input.
  return options.export
    .filter((format) => format !== 'ome-zarr' || layout.omeZarrStore === undefined)
    .map((format) => ({
      flag: `--export ${format}`,
      path: exportPaths(basePath(options.out), layout)[format],
    }));
}

/**
 * Writes the `--export` formats of the labels `segment` just wrote to `--out`, read back from
 * that file so every segmentation path (one-shot, block-wise, Cellpose) exports alike. Cells
 * with nuclei written by this run become QuPath cells with their nucleus.
 */
export async function writeSegmentExports(
  images: readonly string[],
  options: SegmentCommandOptions & SegmentExportOptions,
  startedMs: number,
  log: (line: string) => void,
): Promise<void> {
  if (!options.export?.length) return;
  const labels = await readLabels(options.out);
  const nucleiPath = options.nucleiOut ?? siblingPath(options.out, '_nuclei');
  const cellsRun = options.cellsFromNuclei || options.method === 'cellpose';
  const nuclei =
    cellsRun && (await writtenSince(nucleiPath, startedMs))
      ? await readLabels(nucleiPath)
      : undefined;
  const properties = ['label', 'area', 'centroid', 'perimeter', 'eccentricity', 'solidity'];
  let measurements = regionprops(labels, { properties });
  if (nuclei) {
    // Each cell's nucleus by maximum overlap, as `relate` matches them for the cell table.
    const { cells } = relate(nuclei, labels);
    const nucleusOf = new Map<number, number>();
    cells.label.forEach((cell, i) => nucleusOf.set(cell, cells.nucleus[i]));
    const label = measurements.columns.label as Float64Array;
    measurements = createTable({
      ...measurements.columns,
      matched_nucleus_label: Float64Array.from(label, (l) => nucleusOf.get(l) ?? 0),
    });
  }
  const layout = await inputLayout(images);
  const written = await writeLabelExports(
    basePath(options.out),
    options.export,
    { labels, name: nuclei ? 'cells' : 'nuclei', measurements, nuclei, ...layout },
    [...images, options.out],
  );
  for (const path of written) log(`wrote ${path}`);
}

/** `out/cells.tif` → `out/cells`: exports go beside the label image. */
function basePath(out: string): string {
  const extension = extname(out);
  return extension ? out.slice(0, -extension.length) : out;
}

/**
 * What the input says about the exports: a pyramidal (Sub-IFD) TIFF asks for a pyramidal
 * OME-TIFF, and an NGFF 0.4 image store receives the labels in its own `labels/`.
 */
async function inputLayout(
  images: readonly string[],
): Promise<{ pyramid: boolean; omeZarrStore?: string }> {
  const [first] = images;
  const info = await stat(first).catch(() => undefined);
  if (info?.isDirectory()) {
    const attributes = await readFile(join(first, '.zattrs'), 'utf8').catch(() => undefined);
    const image = attributes && (JSON.parse(attributes) as { multiscales?: unknown });
    return { pyramid: false, omeZarrStore: image && image.multiscales ? first : undefined };
  }
  try {
    const source = await openFileSource(first);
    try {
      return { pyramid: parseTiff(source).ifds[0]?.has(TAG_SUB_IFDS) ?? false };
    } finally {
      await source.close();
    }
  } catch {
    return { pyramid: false }; // not a TIFF (PNG, JPEG): no pyramid to follow
  }
}

/** Whether the file exists and was written at or after `startedMs` (by this run). */
async function writtenSince(path: string, startedMs: number): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && info.mtimeMs >= startedMs - 1000;
}
