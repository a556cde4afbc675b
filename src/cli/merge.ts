import { mergeShards } from '../cluster/merge.js';
import { ExitCode } from './exit-codes.js';

/** `cellscope merge`: the shards in `out` into one batch result; returns the exit code. */
export async function runMerge(outDir: string, log: (line: string) => void): Promise<number> {
  const started = performance.now();
  const result = await mergeShards(outDir);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const cells = result.done.reduce((n, d) => n + d.cells, 0);
  log(
    `merged ${result.shards} shard${result.shards === 1 ? '' : 's'}: ` +
      `${result.done.length} of ${result.images.length} images analysed (${cells} cells), ` +
      `${result.failures.length} failed in ${seconds} s; results in ${outDir}/` +
      (result.failures.length ? ` (reasons in ${outDir}/failures.csv)` : ''),
  );
  return result.failures.length ? ExitCode.PartialFailure : ExitCode.Ok;
}
