import { availableParallelism } from 'node:os';
import { readFileBytes } from '../io/files.js';
import { parseAnalysisConfig, parseAnalysisConfigText } from '../pipeline/config.js';
import { analyzeBatch, collectImages, readConditions } from '../pipeline/batch.js';
import { join } from 'node:path';
import { ExitCode } from './exit-codes.js';
import { capWorkers } from './workers.js';

export interface AnalyzeCommandOptions {
  config?: string;
  out: string;
  conditions?: string;
  resume?: boolean;
  workers?: number;
  channelSuffixes?: string;
}

/** `cellscope analyze`: the workflow on every image; returns the exit code. */
export async function runAnalyze(
  inputs: string[],
  options: AnalyzeCommandOptions,
  log: (line: string) => void,
): Promise<number> {
  const config = options.config
    ? parseAnalysisConfigText(
        new TextDecoder().decode(await readFileBytes(options.config)),
        options.config,
      )
    : parseAnalysisConfig({ channels: { nuclei: 0, cytoplasm: 1, others: [2] } });
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
  const { workers, note } = capWorkers(options.workers ?? 1, images.length, availableParallelism());
  if (note) log(note);
  const started = performance.now();
  let finished = 0;
  const result = await analyzeBatch(images, config, {
    outDir: options.out,
    conditions,
    resume: options.resume,
    workers,
    onImage: ({ image, total, status, detail }) => {
      if (status === 'start') return;
      finished++;
      const bar = '#'.repeat(Math.round((20 * finished) / total)).padEnd(20, '.');
      log(`[${bar}] ${finished}/${total} ${image}: ${status}${detail ? ` (${detail})` : ''}`);
    },
  });
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
      `results in ${options.out}/` +
      (result.failures.length ? ` (reasons in ${options.out}/failures.csv)` : ''),
  );
  return result.failures.length ? ExitCode.PartialFailure : ExitCode.Ok;
}
