import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { InvalidArgumentError } from '../errors.js';
import { writeFileAtomic } from '../io/files.js';
import { readTableFile, writeTableFile } from '../io/table/file.js';
import { createTable, type Table } from '../table/table.js';
import { rasterizeSvg, renderSpec } from '../plot/render-spec.js';
import type { BatchImage, BatchResult } from './batch-types.js';
import { compareConditions } from './compare-conditions.js';
import type { AnalysisConfig } from './config.js';
import { isInside } from './output-names.js';
import { renderReport } from './report.js';

/** Where a batch's combined outputs go, and the images' conditions. */
export interface BatchOutputsOptions {
  outDir: string;
  conditions?: Map<string, string>;
}

/**
 * The batch-level half of `analyzeBatch`: the combined `cells_matched` tables (every complete
 * image, in batch order), the per-condition statistics and plots, `summary.json`,
 * `report.html` and `failures.csv`, all from the images' own folders and `result`. `merge`
 * calls it on the shards' results, so the numbers are recomputed from the per-object tables.
 */
export async function writeBatchOutputs(
  images: readonly BatchImage[],
  result: BatchResult,
  config: AnalysisConfig,
  options: BatchOutputsOptions,
): Promise<void> {
  const inputs = images.flatMap((i) => i.files);
  const combined = await combineTables(images, config, options);
  await writeBatchReport(result, combined, config, options, inputs);
  const failuresCsv = Papa.unparse({
    fields: ['image', 'files', 'reason'],
    data: result.failures.map((f) => [f.image, f.files, f.reason]),
  });
  await writeFileAtomic(join(options.outDir, 'failures.csv'), `${failuresCsv}\n`, {
    protect: inputs,
  });
}

/** Every finished image's cells_matched table, one after the other, with image and condition. */
async function combineTables(
  images: readonly BatchImage[],
  config: AnalysisConfig,
  options: BatchOutputsOptions,
): Promise<Table | undefined> {
  const format = config.outputs.tables[0];
  if (!format) return undefined;
  const parts: { image: string; table: Table }[] = [];
  for (const image of images) {
    const file = join(options.outDir, image.name, `cells_matched.${format}`);
    if (existsSync(join(options.outDir, image.name, 'summary.json'))) {
      parts.push({ image: image.name, table: await readTableFile(file) });
    }
  }
  if (parts.length === 0) return undefined;
  const names = [...new Set(parts.flatMap((p) => Object.keys(p.table.columns)))];
  const columns: Record<string, Float64Array | string[]> = {
    image: parts.flatMap((p) => new Array<string>(p.table.rowCount).fill(p.image)),
    condition: parts.flatMap((p) =>
      new Array<string>(p.table.rowCount).fill(options.conditions?.get(p.image) ?? ''),
    ),
  };
  for (const name of names) {
    columns[name] = Float64Array.from(
      parts.flatMap((p) => {
        const column = p.table.columns[name];
        return column instanceof Float64Array
          ? Array.from(column)
          : new Array<number>(p.table.rowCount).fill(NaN);
      }),
    );
  }
  const combined = createTable(columns);
  for (const f of config.outputs.tables) {
    await writeTableFile(join(options.outDir, `cells_matched.${f}`), combined);
  }
  return combined;
}

/** `outDir/plots/<file>`; a measure name from the data must not lead elsewhere. */
function outputPath(outDir: string, file: string): string {
  const plots = resolve(outDir, 'plots');
  const path = resolve(plots, file);
  if (!isInside(plots, path) || path === plots) {
    throw new InvalidArgumentError(`the plot name "${file}" would leave ${join(outDir, 'plots')}`);
  }
  return join(outDir, 'plots', file);
}

/** The batch's summary.json and, with a report, report.html: every image, conditions compared. */
async function writeBatchReport(
  result: BatchResult,
  combined: Table | undefined,
  config: AnalysisConfig,
  options: BatchOutputsOptions,
  protect: string[],
): Promise<void> {
  const measures = [
    { column: 'cell_area', title: 'Cell area' },
    { column: 'nuclei_area', title: 'Nucleus area' },
    { column: 'cell_nuc_ratio', title: 'Cell / nucleus area' },
    { column: 'circularity', title: 'Circularity' },
    ...Object.keys(combined?.columns ?? {})
      .filter((c) => c.startsWith('cell_intensity_mean_'))
      .map((c) => ({
        column: c,
        title: `Cell mean intensity ${c.slice('cell_intensity_mean_'.length)}`,
      })),
  ];
  const comparisons = combined ? compareConditions(combined, measures) : [];
  const condition = (image: string): string => options.conditions?.get(image) ?? '';
  const figures = new Map<string, { caption: string; svg?: string }[]>();
  const drawPlots = config.outputs.plots.length > 0 || config.outputs.report;
  for (const c of drawPlots ? comparisons : []) {
    const svg = await renderSpec(c.spec, { format: 'svg' });
    if (config.outputs.plots.includes('svg')) {
      await writeFileAtomic(outputPath(options.outDir, `conditions_${c.measure}.svg`), svg, {
        protect,
      });
    }
    if (config.outputs.plots.includes('png')) {
      const png = await rasterizeSvg(svg, { scale: 2 });
      await writeFileAtomic(outputPath(options.outDir, `conditions_${c.measure}.png`), png, {
        protect,
      });
    }
    figures.set(c.measure, [{ caption: `${c.measure} by condition`, svg }]);
  }
  const summary = {
    images: result.done.map((d) => ({ ...d, condition: condition(d.image) })),
    skipped: result.skipped,
    failures: result.failures,
    comparisons: comparisons.map(({ spec: _spec, ...rest }) => rest),
  };
  await writeFileAtomic(
    join(options.outDir, 'summary.json'),
    `${JSON.stringify(summary, null, 2)}\n`,
    { protect },
  );
  if (!config.outputs.report) return;
  const fmt = (v: number): string =>
    Number.isFinite(v) ? String(Number(v.toPrecision(4))) : 'n/a';
  const html = renderReport({
    title: 'cellscope batch analysis',
    subtitle: `${new Date().toISOString().slice(0, 19)}Z · ${result.done.length} images analysed, ${result.skipped.length} skipped, ${result.failures.length} failed`,
    sections: [
      ...comparisons.map((c) => ({
        title: `${c.measure} by condition`,
        lines: [
          ...c.groups.map(
            (g) => `${g.condition}: n = ${g.n}, mean = ${fmt(g.mean)}, median = ${fmt(g.median)}`,
          ),
          ...c.tests.map(
            (t) =>
              `${t.condition} vs ${t.reference}: Mann–Whitney p = ${fmt(t.mannWhitneyP)}, Welch p = ${fmt(t.welchP)}, ` +
              `Cohen's d = ${fmt(t.cohensD)}, rank-biserial = ${fmt(t.rankBiserial)}`,
          ),
        ],
        figures: figures.get(c.measure) ?? [],
      })),
    ],
    tables: [
      {
        caption: 'Images',
        columns: ['image', 'condition', 'cells', 'nuclei', 'cells with nucleus', 'report'],
        rows: result.done.map((d) => [
          d.image,
          condition(d.image),
          d.cells,
          d.nuclei,
          d.cellsWithNucleus,
          `${d.image}/report.html`,
        ]),
      },
      ...(result.failures.length
        ? [
            {
              caption: 'Failures',
              columns: ['image', 'reason'],
              rows: result.failures.map((f) => [f.image, f.reason]),
            },
          ]
        : []),
    ],
    config,
  });
  await writeFileAtomic(join(options.outDir, 'report.html'), html, { protect });
}
