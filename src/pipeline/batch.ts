import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Papa from 'papaparse';
import { InvalidArgumentError } from '../errors.js';
import { readFileBytes } from '../io/files.js';
import { removeStaleTempFiles } from '../io/stale-temp-files.js';
import { analyzeFiles } from './analyze-files.js';
import { describeError, type WorkerResult, type WorkerTask } from './analyze-worker.js';
import { writeBatchOutputs } from './batch-outputs.js';
import type { BatchImage, BatchResult } from './batch-types.js';
import type { AnalysisConfig } from './config.js';
import type { ModelCache } from './segment-image.js';
import { assertDistinctFolders, uniqueOutputNames } from './output-names.js';
import { threadsPerWorker } from './threads.js';
import { defaultThreads } from '../image/run-chunks.js';

export type { BatchImage, BatchResult } from './batch-types.js';

/** What the batch itself writes into `outDir`: no image's folder may take these names. */
export const BATCH_OUTPUTS = [
  'summary.json',
  'report.html',
  'failures.csv',
  'plots',
  'cells_matched.csv',
  'cells_matched.parquet',
  // A sharded batch's manifests and the cluster scripts (src/cluster/).
  'shards',
  'slurm',
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
    if (info?.isDirectory() && isZarrFolder(input)) {
      files.push(input); // an OME-Zarr image, read region by region
    } else if (info?.isDirectory()) {
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
  const name = basename(file, extname(file));
  return isZarrFolder(file) ? name.replace(/\.ome$/i, '') : name;
}

/** A Zarr group folder (v2 `.zgroup`/`.zattrs` or v3 `zarr.json`): one image, not a folder of them. */
function isZarrFolder(path: string): boolean {
  return ['zarr.json', '.zgroup', '.zattrs'].some((name) => existsSync(join(path, name)));
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
  const result = await analyzeImages(images, config, options);
  await writeBatchOutputs(images, result, config, options);
  return result;
}

export interface AnalyzeImagesOptions extends BatchOptions {
  /**
   * With `resume`, look for dead runs' temp files only in these images' own folders: a shard
   * shares `outDir` with shards on other machines, whose live writers' pids mean nothing here.
   */
  ownFoldersOnly?: boolean;
}

/**
 * The per-image half of {@link analyzeBatch}: every image into `outDir/<image>/` (skipping
 * complete ones with `resume`), failures recorded, and no batch-level output written. A shard
 * runs this on its share of the images; `writeBatchOutputs` combines them afterwards.
 */
export async function analyzeImages(
  images: readonly BatchImage[],
  config: AnalysisConfig,
  options: AnalyzeImagesOptions,
): Promise<BatchResult> {
  const result: BatchResult = { done: [], skipped: [], failures: [], removedTempFiles: [] };
  const inputs = images.flatMap((i) => i.files);
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new InvalidArgumentError(`workers must be a positive integer, got ${workers}`);
  }
  assertDistinctFolders(images, BATCH_OUTPUTS, options.outDir);
  if (options.resume && options.ownFoldersOnly) {
    for (const image of images) {
      const folder = join(options.outDir, image.name);
      result.removedTempFiles.push(...(await removeStaleTempFiles(folder, { depth: 2 })));
    }
  } else if (options.resume) {
    result.removedTempFiles = await removeStaleTempFiles(options.outDir);
  }
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
  // Each worker's Cellpose gets its share of the threads, so N workers do not start N × cores.
  const threads = threadsPerWorker(config.threads ?? defaultThreads(), workers);
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
            threads,
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
        const summary = await analyzeFiles(task.files, task.config, { ...task, models, signal });
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
