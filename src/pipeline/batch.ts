import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Papa from 'papaparse';
import { InvalidArgumentError } from '../errors.js';
import { readFileBytes, writeFileAtomic } from '../io/files.js';
import { removeStaleTempFiles } from '../io/stale-temp-files.js';
import { readChannels } from '../io/read-image.js';
import { readTableFile, writeTableFile } from '../io/table/file.js';
import { createTable, type Table } from '../measure/table.js';
import { analyzeImage, type ImageSummary } from './analyze-image.js';
import { describeError, type WorkerResult, type WorkerTask } from './analyze-worker.js';
import type { AnalysisConfig } from './config.js';
import { compareConditions } from './compare-conditions.js';
import { renderReport } from './report.js';
import { rasterizeSvg, renderSpec } from '../plot/render-spec.js';
import type { ModelCache } from './segment-image.js';
import { assertDistinctFolders, isInside, uniqueOutputNames } from './output-names.js';

/**
 * One image of a batch: its name (its output folder in `outDir`) and its file(s), one per
 * channel when there are several.
 */
export interface BatchImage {
  name: string;
  files: string[];
  /** The name the image's files gave it, and why its folder has another. */
  renamed?: { from: string; reason: string };
}

/** What the batch itself writes into `outDir`: no image's folder may take these names. */
export const BATCH_OUTPUTS = [
  'summary.json',
  'report.html',
  'failures.csv',
  'plots',
  'cells_matched.csv',
  'cells_matched.parquet',
];

const IMAGE_EXTENSIONS = ['.tif', '.tiff', '.png', '.jpg', '.jpeg'];

/**
 * The images a batch runs on: files as given, folders expanded to their image files (sorted).
 * With `channelSuffixes` (e.g. `['d0', 'd2', 'd1']`), files whose names differ only by that
 * suffix before the extension are the channels of one image, in the suffixes' order, as
 * CellProfiler's example data come (one file per channel).
 *
 * Each image gets an output folder of its own (see {@link uniqueOutputNames}): images that share
 * a file name in different folders are told apart by those folders, and `renamed` says so.
 */
export async function collectImages(
  inputs: readonly string[],
  options: { channelSuffixes?: readonly string[] } = {},
): Promise<BatchImage[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (info?.isDirectory()) {
      const names = (await readdir(input)).filter((n) =>
        IMAGE_EXTENSIONS.includes(extname(n).toLowerCase()),
      );
      files.push(...names.sort().map((n) => join(input, n)));
    } else {
      files.push(input); // a missing file fails (and is recorded) when its image is read
    }
  }
  const suffixes = options.channelSuffixes;
  if (!suffixes?.length) {
    return uniqueOutputNames(
      files.map((file) => ({ name: stem(file), files: [file] })),
      BATCH_OUTPUTS,
    );
  }
  // Keyed by folder too: d1/x_d0.tif and d2/x_d0.tif are channels of two images.
  const groups = new Map<string, { name: string; files: string[] }>();
  for (const file of files) {
    const name = stem(file);
    const index = suffixes.findIndex((s) => name.endsWith(s));
    if (index < 0) {
      throw new InvalidArgumentError(
        `${file} ends in none of the channel suffixes ${suffixes.join(', ')}`,
      );
    }
    const prefix = name.slice(0, name.length - suffixes[index].length);
    const key = join(dirname(file), prefix);
    const group = groups.get(key) ?? { name: prefix, files: new Array<string>(suffixes.length) };
    if (group.files[index] !== undefined) {
      throw new InvalidArgumentError(
        `${file} and ${group.files[index]} are both channel ${suffixes[index]} of ${prefix}`,
        { hint: 'keep one file per channel in each folder' },
      );
    }
    group.files[index] = file;
    groups.set(key, group);
  }
  return uniqueOutputNames([...groups.values()], BATCH_OUTPUTS);
}

function stem(file: string): string {
  return basename(file, extname(file));
}

/** A conditions CSV: columns `image` and `condition` (the image name as in the outputs). */
export async function readConditions(path: string): Promise<Map<string, string>> {
  const text = new TextDecoder().decode(await readFileBytes(path));
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const fields = parsed.meta.fields ?? [];
  if (!fields.includes('image') || !fields.includes('condition')) {
    throw new InvalidArgumentError('the conditions file needs the columns image and condition', {
      file: path,
      hint: 'one row per image: image,condition',
    });
  }
  return new Map(parsed.data.map((row) => [row.image, row.condition]));
}

export interface BatchOptions {
  outDir: string;
  conditions?: Map<string, string>;
  /**
   * Skip images whose outputs are complete (their summary.json exists: it is written last), and
   * remove the temp files that killed runs left in `outDir`.
   */
  resume?: boolean;
  /**
   * Images analysed at once, each in its own worker thread (piscina); 1 runs them one by one
   * in this thread. @default 1
   */
  workers?: number;
  onImage?: (event: {
    image: string;
    index: number;
    total: number;
    status: 'start' | 'done' | 'skipped' | 'failed';
    detail?: string;
  }) => void;
  signal?: AbortSignal;
}

export interface BatchResult {
  done: ImageSummary[];
  skipped: string[];
  failures: { image: string; files: string; reason: string }[];
  /** With `resume`: the temp files of dead runs that were removed. */
  removedTempFiles: string[];
}

/**
 * Runs `analyzeImage` on every image into `outDir/<image>/`, then combines the per-cell tables
 * with `image` and `condition` columns (`outDir/cells_matched.csv|.parquet`). A failing image is
 * recorded in `failures.csv` with its reason and the others go on; every file is written
 * atomically, so an interrupted run leaves no half-written output. Throws before any work when
 * two images would share a folder, or a name would leave `outDir`.
 */
export async function analyzeBatch(
  images: readonly BatchImage[],
  config: AnalysisConfig,
  options: BatchOptions,
): Promise<BatchResult> {
  const result: BatchResult = { done: [], skipped: [], failures: [], removedTempFiles: [] };
  const inputs = images.flatMap((i) => i.files);
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new InvalidArgumentError(`workers must be a positive integer, got ${workers}`);
  }
  assertDistinctFolders(images, BATCH_OUTPUTS, options.outDir);
  if (options.resume) result.removedTempFiles = await removeStaleTempFiles(options.outDir);
  const todo: { image: BatchImage; index: number }[] = [];
  for (const [index, image] of images.entries()) {
    if (options.resume && existsSync(join(options.outDir, image.name, 'summary.json'))) {
      result.skipped.push(image.name);
      options.onImage?.({ image: image.name, index, total: images.length, status: 'skipped' });
    } else {
      todo.push({ image, index });
    }
  }
  const outcomes: { image: BatchImage; outcome: WorkerResult }[] = [];
  const run = workers > 1 ? await workerPool(workers) : inThisThread();
  try {
    let next = 0;
    // `workers` lanes take the next image as they finish, so results come back in any order.
    const lane = async (): Promise<void> => {
      while (next < todo.length) {
        options.signal?.throwIfAborted();
        const { image, index } = todo[next++];
        const event = { image: image.name, index, total: images.length };
        options.onImage?.({ ...event, status: 'start' });
        const outcome = await run.analyze(
          {
            name: image.name,
            files: image.files,
            config,
            outDir: join(options.outDir, image.name),
            protect: inputs,
          },
          options.signal,
        );
        outcomes.push({ image, outcome });
        if ('summary' in outcome) {
          options.onImage?.({ ...event, status: 'done', detail: `${outcome.summary.cells} cells` });
        } else {
          options.onImage?.({ ...event, status: 'failed', detail: outcome.failure });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(workers, todo.length) }, lane));
  } finally {
    await run.close();
  }
  // Report in input order, whatever order the workers finished in.
  for (const { image } of todo) {
    const { outcome } = outcomes.find((o) => o.image === image) ?? {};
    if (!outcome) continue;
    if ('summary' in outcome) result.done.push(outcome.summary);
    else
      result.failures.push({
        image: image.name,
        files: image.files.join(';'),
        reason: outcome.failure,
      });
  }

  const combined = await combineTables(images, config, options);
  await writeBatchReport(result, combined, config, options, inputs);
  const failuresCsv = Papa.unparse({
    fields: ['image', 'files', 'reason'],
    data: result.failures.map((f) => [f.image, f.files, f.reason]),
  });
  await writeFileAtomic(join(options.outDir, 'failures.csv'), `${failuresCsv}\n`, {
    protect: inputs,
  });
  return result;
}

interface Runner {
  analyze(task: WorkerTask, signal?: AbortSignal): Promise<WorkerResult>;
  close(): Promise<void>;
}

/** Images analysed one after the other in this thread, sharing one set of Cellpose models. */
function inThisThread(): Runner {
  const models: ModelCache = new Map();
  return {
    async analyze(task, signal) {
      try {
        const stack = await readChannels(task.files);
        const summary = await analyzeImage(stack, task.config, { ...task, models, signal });
        return { summary };
      } catch (error) {
        if (signal?.aborted) throw error;
        return { failure: describeError(error) };
      }
    },
    async close() {
      for (const model of models.values()) await (await model.catch(() => undefined))?.release();
    },
  };
}

/** A piscina pool of worker threads running `analyze-worker`. */
async function workerPool(threads: number): Promise<Runner> {
  const { Piscina } = await import('piscina');
  const pool = new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads });
  return {
    analyze: (task, signal) => pool.run(task, { signal }) as Promise<WorkerResult>,
    close: () => pool.destroy(),
  };
}

/** The worker entry beside this module: bundled `.js` in dist/, a tsx shim when run from source. */
function workerFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'analyze-worker.js');
  return pathToFileURL(existsSync(bundled) ? bundled : join(here, 'analyze-worker.dev.mjs')).href;
}

/** Every finished image's cells_matched table, one after the other, with image and condition. */
async function combineTables(
  images: readonly BatchImage[],
  config: AnalysisConfig,
  options: BatchOptions,
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
  options: BatchOptions,
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
