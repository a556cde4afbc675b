import { availableParallelism } from 'node:os';
import { readFileBytes } from '../io/files.js';
import {
  parseAnalysisConfig,
  parseAnalysisConfigText,
  type AnalysisConfig,
} from '../pipeline/config.js';
import { shardFileName, shardImages, parseShard } from '../cluster/shard.js';
import {
  analyzeBatch,
  collectImages,
  readConditions,
  type BatchOptions,
} from '../pipeline/batch.js';
import { join } from 'node:path';
import { parseBlockSize } from '../segment/blocks/plan.js';
import { ExitCode } from './exit-codes.js';
import { capWorkers } from './workers.js';

type ImageEvent = Parameters<NonNullable<BatchOptions['onImage']>>[0];

export interface AnalyzeCommandOptions {
  config?: string;
  out: string;
  conditions?: string;
  resume?: boolean;
  workers?: number;
  channelSuffixes?: string;
  /** `i/N`: run only shard i of N (see src/cluster/shard.ts); `cellscope merge` combines them. */
  shard?: string;
  /** `--block-size`: pixels, auto or off; overrides the config's blockSize. */
  blockSize?: string;
  /** `--threads`: overrides the config's threads (shared among the workers). */
  threads?: number;
}

/** The `--config` file, or the default (cellscope's own models, channels 0, 1, 2). */
export async function readConfigOption(path: string | undefined): Promise<AnalysisConfig> {
  return path
    ? parseAnalysisConfigText(new TextDecoder().decode(await readFileBytes(path)), path)
    : parseAnalysisConfig({ channels: { nuclei: 0, cytoplasm: 1, others: [2] } });
}

/** `cellscope analyze`: the workflow on every image; returns the exit code. */
export async function runAnalyze(
  inputs: string[],
  options: AnalyzeCommandOptions,
  log: (line: string) => void,
): Promise<number> {
  // A bad --shard is a usage error, reported before any file is read.
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  const config = await readConfigOption(options.config);
  if (options.blockSize !== undefined) config.blockSize = parseBlockSize(options.blockSize);
  if (options.threads !== undefined) config.threads = options.threads;
  const conditions = options.conditions ? await readConditions(options.conditions) : undefined;
  const images = await collectImages(inputs, {
    channelSuffixes: options.channelSuffixes?.split(',').map((s) => s.trim()),
  });
  for (const image of images) {
    if (image.renamed) {
      const { from, reason } = image.renamed;
      log(
        `${image.files.join(';')}: outputs in ${join(options.out, image.name)}/, not ${from}/ (${reason})`,
      );
    }
  }
  const share = shard ? shardImages(images, shard).length : images.length;
  const { workers, note } = capWorkers(options.workers ?? 1, share, availableParallelism());
  if (note) log(note);
  const started = performance.now();
  let finished = 0;
  const batchOptions = {
    outDir: options.out,
    conditions,
    resume: options.resume,
    workers,
    onImage: ({ image, total, status, detail }: ImageEvent) => {
      if (status === 'start') return;
      finished++;
      const bar = '#'.repeat(Math.round((20 * finished) / total)).padEnd(20, '.');
      log(`[${bar}] ${finished}/${total} ${image}: ${status}${detail ? ` (${detail})` : ''}`);
    },
  };
  let result;
  if (shard) {
    const { analyzeShard } = await import('../cluster/run-shard.js');
    log(`shard ${shard.index}/${shard.count}: ${share} of the batch's ${images.length} images`);
    result = await analyzeShard(images, config, { ...batchOptions, shard });
  } else {
    result = await analyzeBatch(images, config, batchOptions);
  }
  if (result.removedTempFiles.length) {
    log(
      `removed ${result.removedTempFiles.length} temp files that interrupted runs left in ${options.out}/`,
    );
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const cells = result.done.reduce((n, d) => n + d.cells, 0);
  log(
    `${result.done.length} analysed (${cells} cells), ${result.skipped.length} skipped, ` +
      `${result.failures.length} failed in ${seconds} s; ` +
      (shard
        ? `shard written to ${join(options.out, 'shards', shardFileName(shard))} ` +
          `(\`cellscope merge ${options.out}\` combines the shards)`
        : `results in ${options.out}/` +
          (result.failures.length ? ` (reasons in ${options.out}/failures.csv)` : '')),
  );
  return result.failures.length ? ExitCode.PartialFailure : ExitCode.Ok;
}
