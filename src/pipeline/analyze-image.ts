import { join, relative } from 'node:path';
import { writeLabelExports } from '../export/write-exports.js';
import type { Stack } from '../image/types.js';
import { writeFileAtomic } from '../io/files.js';
import { encodePng } from '../io/raster.js';
import { writeTableFile } from '../io/table/file.js';
import { writeTiffFile } from '../io/tiff/write-file.js';
import type { Table } from '../table/table.js';
import { overlayGrid } from '../plot/overlay-grid.js';
import { rasterizeSvg, renderSpec } from '../plot/render-spec.js';
import type { AnalysisConfig } from './config.js';
import { measureSegmented } from './measure-segmented.js';
import { answerQuestions, type Answer } from './questions.js';
import { renderReport } from './report.js';
import { segmentImage, type ModelCache } from './segment-image.js';

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
}

/** What one image gave: counts, the questions' numbers and the files written. */
export interface ImageSummary {
  image: string;
  nuclei: number;
  cells: number;
  cellsWithNucleus: number;
  conflicts: { sharedNuclei: number; multinucleateCells: number; nucleiOutsideCells: number };
  steps: string[];
  answers: Record<string, Record<string, number | null>>;
  outputs: string[];
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
  const write = async (file: string, data: Uint8Array | string): Promise<void> => {
    await writeFileAtomic(join(outDir, file), data, { protect });
    outputs.push(file);
  };
  const checkAbort = (): void => signal?.throwIfAborted();

  progress('segmenting');
  const segmented = await segmentImage(stack, config, { models: options.models, signal });
  const { nucleusLabels, cellLabels } = segmented;
  checkAbort();

  progress('measuring');
  const measuredImage = measureSegmented(stack, config, nucleusLabels, cellLabels);
  const { channels: measured, suffixes, spacing, relation, matched } = measuredImage;
  const nucleiTable = measuredImage.nuclei;
  const cellsTable = measuredImage.cells;
  checkAbort();

  progress('writing labels and tables');
  const pixelSize = config.pixelSizeUm;
  const pixelSizeUm = pixelSize ? { x: pixelSize, y: pixelSize } : stack.pixelSizeUm;
  for (const [file, labels] of [
    ['nuclei.tif', nucleusLabels],
    ['cells.tif', cellLabels],
  ] as const) {
    await writeTiffFile(join(outDir, file), labels, { protect, pixelSizeUm });
    outputs.push(file);
  }
  for (const [base, table] of [
    ['nuclei', nucleiTable],
    ['cells', cellsTable],
    ['cells_matched', matched],
  ] as const) {
    for (const format of config.outputs.tables) {
      await writeTableFile(join(outDir, `${base}.${format}`), table, { protect });
      outputs.push(`${base}.${format}`);
    }
  }

  const exports = [...new Set(config.outputs.exports ?? [])];
  if (exports.length > 0) {
    progress('writing exports');
    // Cells carry their nuclei (GeoJSON cells, OME-Zarr labels/nuclei); Fiji and TIFF get both.
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
    outputs.push(...written.map((path) => relative(outDir, path)));
  }

  progress('answering questions and plotting');
  const answers = answerQuestions(
    matched,
    { nuclei: suffixes[0], cytoplasm: suffixes[1] ?? suffixes[0], signal: suffixes[2] },
    spacing ? 'µm²' : 'px²',
  );
  const figures = new Map<Answer, { caption: string; svg?: string; png?: Uint8Array }[]>();
  // Plots are laid out once, as SVG; PNGs are rasterised from it. Nothing to draw, no layout.
  const drawPlots = config.outputs.plots.length > 0 || config.outputs.report;
  for (const answer of drawPlots ? answers : []) {
    const list: { caption: string; svg?: string; png?: Uint8Array }[] = [];
    for (const plot of answer.plots) {
      checkAbort();
      const svg = await renderSpec(plot.spec, { format: 'svg' });
      if (config.outputs.plots.includes('svg')) await write(`plots/${plot.name}.svg`, svg);
      if (config.outputs.plots.includes('png')) {
        await write(`plots/${plot.name}.png`, await rasterizeSvg(svg, { scale: 2 }));
      }
      list.push({ caption: plot.caption, svg });
    }
    figures.set(answer, list);
  }

  let overlayPng: Uint8Array | undefined;
  if (config.outputs.overlay) {
    progress('drawing the overlay');
    const grid = overlayGrid({
      stack,
      nucleusLabels,
      cellLabels,
      nucleusChannel: measured[0],
      cellChannel: measured[1] ?? measured[0],
      maxPanelWidth: 1024,
    });
    overlayPng = await encodePng(grid);
    await write('overlay.png', overlayPng);
  }

  const { conflicts } = relation;
  const summary: ImageSummary = {
    image: name,
    nuclei: relation.nuclei.label.length,
    cells: relation.cells.label.length,
    cellsWithNucleus: relation.cells.nucleus.filter((n) => n !== 0).length,
    conflicts: {
      sharedNuclei: conflicts.sharedNuclei.length,
      multinucleateCells: conflicts.multinucleateCells.length,
      nucleiOutsideCells: conflicts.nucleiOutsideCells.length,
    },
    steps: segmented.steps,
    answers: Object.fromEntries(answers.map((a) => [a.id, a.numbers])),
    outputs,
  };

  if (config.outputs.report) {
    const html = renderReport({
      title: `cellscope analysis: ${name}`,
      subtitle: `${new Date().toISOString().slice(0, 19)}Z · ${summary.cells} cells, ${summary.nuclei} nuclei, ${summary.cellsWithNucleus} cells with a matched nucleus`,
      sections: [
        {
          title: 'Segmentation',
          lines: [
            ...segmented.steps,
            `cells with a matched nucleus: ${summary.cellsWithNucleus} of ${summary.cells}`,
            `conflicts: ${summary.conflicts.multinucleateCells} cells with several nuclei, ${summary.conflicts.sharedNuclei} nuclei claimed by several cells, ${summary.conflicts.nucleiOutsideCells} nuclei outside every cell`,
          ],
          figures: overlayPng
            ? [{ caption: 'Nuclei and cells over their channels', png: overlayPng }]
            : [],
        },
        ...answers.map((a) => ({ title: a.title, lines: a.lines, figures: figures.get(a) ?? [] })),
      ],
      tables: [preview('Matched cells (first 10 rows)', matched, 10)],
      config,
    });
    await write('report.html', html);
  }
  outputs.push('summary.json');
  await writeFileAtomic(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`, {
    protect,
  });
  return summary;
}

function preview(caption: string, table: Table, rows: number) {
  const columns = Object.keys(table.columns);
  return {
    caption,
    columns,
    rows: Array.from({ length: Math.min(rows, table.rowCount) }, (_, r) =>
      columns.map((c) => {
        const v = table.columns[c][r];
        return typeof v === 'number' ? (Number.isInteger(v) ? v : Number(v.toPrecision(5))) : v;
      }),
    ),
  };
}
