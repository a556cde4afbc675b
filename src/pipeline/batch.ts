import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import Papa from 'papaparse';
import { CellscopeError, InvalidArgumentError } from '../errors.js';
import { readFileBytes, writeFileAtomic } from '../io/files.js';
import { readChannels } from '../io/read-image.js';
import { readTableFile, writeTableFile } from '../io/table/file.js';
import { createTable, type Table } from '../measure/table.js';
import { analyzeImage, type ImageSummary } from './analyze-image.js';
import type { AnalysisConfig } from './config.js';
import type { ModelCache } from './segment-image.js';

/** One image of a batch: its name and its file(s), one per channel when there are several. */
export interface BatchImage {
  name: string;
  files: string[];
}

const IMAGE_EXTENSIONS = ['.tif', '.tiff', '.png', '.jpg', '.jpeg'];

/**
 * The images a batch runs on: files as given, folders expanded to their image files (sorted).
 * With `channelSuffixes` (e.g. `['d0', 'd2', 'd1']`), files whose names differ only by that
 * suffix before the extension are the channels of one image, in the suffixes' order, as
 * CellProfiler's example data come (one file per channel).
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
  if (!suffixes?.length) return files.map((file) => ({ name: stem(file), files: [file] }));
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const name = stem(file);
    const index = suffixes.findIndex((s) => name.endsWith(s));
    if (index < 0) {
      throw new InvalidArgumentError(
        `${file} ends in none of the channel suffixes ${suffixes.join(', ')}`,
      );
    }
    const key = name.slice(0, name.length - suffixes[index].length);
    const group = groups.get(key) ?? new Array<string>(suffixes.length);
    group[index] = file;
    groups.set(key, group);
  }
  return [...groups].map(([name, group]) => ({ name, files: group }));
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
  /** Skip images whose outputs are complete (their summary.json exists: it is written last). */
  resume?: boolean;
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
}

/**
 * Runs `analyzeImage` on every image into `outDir/<image>/`, then combines the per-cell tables
 * with `image` and `condition` columns (`outDir/cells_matched.csv|.parquet`). A failing image is
 * recorded in `failures.csv` with its reason and the others go on; every file is written
 * atomically, so an interrupted run leaves no half-written output.
 */
export async function analyzeBatch(
  images: readonly BatchImage[],
  config: AnalysisConfig,
  options: BatchOptions,
): Promise<BatchResult> {
  const result: BatchResult = { done: [], skipped: [], failures: [] };
  const models: ModelCache = new Map();
  const inputs = images.flatMap((i) => i.files);
  try {
    for (const [index, image] of images.entries()) {
      options.signal?.throwIfAborted();
      const event = { image: image.name, index, total: images.length };
      const dir = join(options.outDir, image.name);
      if (options.resume && existsSync(join(dir, 'summary.json'))) {
        result.skipped.push(image.name);
        options.onImage?.({ ...event, status: 'skipped' });
        continue;
      }
      options.onImage?.({ ...event, status: 'start' });
      try {
        const stack = await readChannels(image.files);
        const summary = await analyzeImage(stack, config, {
          outDir: dir,
          name: image.name,
          protect: inputs,
          models,
          signal: options.signal,
        });
        result.done.push(summary);
        options.onImage?.({ ...event, status: 'done', detail: `${summary.cells} cells` });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        const reason =
          error instanceof CellscopeError
            ? error.describe()
            : String((error as Error)?.message ?? error);
        result.failures.push({ image: image.name, files: image.files.join(';'), reason });
        options.onImage?.({ ...event, status: 'failed', detail: reason });
      }
    }
  } finally {
    for (const model of models.values()) await (await model.catch(() => undefined))?.release();
  }

  await combineTables(images, config, options);
  const failuresCsv = Papa.unparse({
    fields: ['image', 'files', 'reason'],
    data: result.failures.map((f) => [f.image, f.files, f.reason]),
  });
  await writeFileAtomic(join(options.outDir, 'failures.csv'), `${failuresCsv}\n`, {
    protect: inputs,
  });
  return result;
}

/** Every finished image's cells_matched table, one after the other, with image and condition. */
async function combineTables(
  images: readonly BatchImage[],
  config: AnalysisConfig,
  options: BatchOptions,
): Promise<void> {
  const format = config.outputs.tables[0];
  if (!format) return;
  const parts: { image: string; table: Table }[] = [];
  for (const image of images) {
    const file = join(options.outDir, image.name, `cells_matched.${format}`);
    if (existsSync(join(options.outDir, image.name, 'summary.json'))) {
      parts.push({ image: image.name, table: await readTableFile(file) });
    }
  }
  if (parts.length === 0) return;
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
}
