import { join } from 'node:path';
import { writeFileAtomic } from '../io/files.js';
import { writeTableFile } from '../io/table/file.js';
import { rasterizeSvg, renderSpec } from '../plot/render-spec.js';
import type { Table } from '../table/table.js';
import type { AnalysisConfig } from './config.js';
import type { MeasuredImage } from './measure-segmented.js';
import { answerQuestions, type Answer } from './questions.js';
import { renderReport } from './report.js';

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

/** Where and how {@link writeAnalysis} writes, and the parts only some runs have. */
export interface AnalysisOutputs {
  outDir: string;
  name: string;
  protect: readonly string[];
  progress: (step: string) => void;
  signal?: AbortSignal;
  /** Files written so far (relative to `outDir`); the rest are added. */
  outputs: string[];
  /** One line per segmentation step, for the report and summary. */
  steps: string[];
  /** Writes the label exports; returns the paths written (relative to `outDir`). */
  writeExports?: () => Promise<string[]>;
  /** Draws the overlay grid as PNG bytes. */
  drawOverlay?: () => Promise<Uint8Array>;
}

/**
 * The second half of an analysis, the same whether the image was analysed at once or block by
 * block: the tables, the exports, the questions' answers and plots, the overlay, the report and
 * `summary.json` (written last, so its presence means the outputs are complete).
 */
export async function writeAnalysis(
  measuredImage: MeasuredImage,
  config: AnalysisConfig,
  options: AnalysisOutputs,
): Promise<ImageSummary> {
  const { outDir, name, protect, progress, signal, outputs } = options;
  const { suffixes, spacing, relation, matched } = measuredImage;
  const write = async (file: string, data: Uint8Array | string): Promise<void> => {
    await writeFileAtomic(join(outDir, file), data, { protect });
    outputs.push(file);
  };
  const checkAbort = (): void => signal?.throwIfAborted();

  progress('writing tables');
  for (const [base, table] of [
    ['nuclei', measuredImage.nuclei],
    ['cells', measuredImage.cells],
    ['cells_matched', matched],
  ] as const) {
    for (const format of config.outputs.tables) {
      await writeTableFile(join(outDir, `${base}.${format}`), table, { protect });
      outputs.push(`${base}.${format}`);
    }
  }
  if (options.writeExports) {
    progress('writing exports');
    outputs.push(...(await options.writeExports()));
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
  if (config.outputs.overlay && options.drawOverlay) {
    progress('drawing the overlay');
    overlayPng = await options.drawOverlay();
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
    steps: options.steps,
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
            ...options.steps,
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
