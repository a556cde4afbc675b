import { CellscopeError } from '../errors.js';
import { analyzeFiles } from './analyze-files.js';
import type { ImageSummary } from './analyze-image.js';
import type { AnalysisConfig } from './config.js';
import type { ModelCache } from './segment-image.js';

/** One image for a worker thread of `analyzeBatch`. */
export interface WorkerTask {
  name: string;
  files: string[];
  config: AnalysisConfig;
  outDir: string;
  protect: string[];
  /** Threads for this image's Cellpose network and dynamics: the worker's share of the cores. */
  threads: number;
}

/** A worker's answer: errors travel as text, since error classes do not cross threads. */
export type WorkerResult = { summary: ImageSummary } | { failure: string };

// Each worker opens a Cellpose model once and keeps it for the images it is given.
const models: ModelCache = new Map();

/** Reads and analyses one image (the piscina worker entry point). */
export default async function analyzeInWorker(task: WorkerTask): Promise<WorkerResult> {
  try {
    const summary = await analyzeFiles(task.files, task.config, {
      outDir: task.outDir,
      name: task.name,
      protect: task.protect,
      threads: task.threads,
      models,
    });
    return { summary };
  } catch (error) {
    return { failure: describeError(error) };
  }
}

/** The one-line reason recorded in failures.csv. */
export function describeError(error: unknown): string {
  return error instanceof CellscopeError
    ? error.describe()
    : String((error as Error)?.message ?? error);
}
