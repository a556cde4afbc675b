import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FileAccessError, InvalidArgumentError } from '../errors.js';
import type { BatchImage, BatchResult } from '../pipeline/batch.js';
import { writeBatchOutputs } from '../pipeline/batch-outputs.js';
import { describeMismatch, readManifests, SHARDS_FOLDER, type ShardManifest } from './manifest.js';
import { readSummary } from './run-shard.js';
import { shardImages } from './shard.js';

export interface MergeResult extends BatchResult {
  /** The number of shards the batch was split into. */
  shards: number;
  /** Every image of the batch, in batch order. */
  images: BatchImage[];
}

/** Lists at most `max` names, then how many more. */
function list(names: readonly string[], max = 10): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/**
 * Combines the shards in `outDir` into what one `analyzeBatch` of the whole batch writes: the
 * combined tables, `failures.csv`, the per-condition statistics and plots, `summary.json` and
 * the report, all recomputed from the images' own tables (never from shard-level numbers).
 *
 * @throws FileAccessError when there are no manifests, or some images are missing (a shard that
 *   did not finish, an output deleted since): the message lists them.
 * @throws InvalidArgumentError when shards differ in config, versions, shard count or images.
 */
export async function mergeShards(outDir: string): Promise<MergeResult> {
  const found = await readManifests(outDir);
  if (found.length === 0) {
    throw new FileAccessError('no shard manifests (shard-<i>-of-<N>.json) to merge', {
      file: join(outDir, SHARDS_FOLDER),
      hint: `run \`cellscope analyze <inputs> --out ${outDir} --shard i/N\` for every shard first`,
    });
  }
  const reference = found[0];
  for (const other of found.slice(1)) {
    const mismatch = describeMismatch(reference.manifest, other.manifest);
    if (mismatch) {
      throw new InvalidArgumentError(`${reference.path} and ${other.path} ${mismatch}`, {
        hint: 'rerun the odd shards with the same inputs, config and cellscope (or delete their manifests if they belong to another batch)',
      });
    }
  }
  const { batch, config } = reference.manifest;
  const count = reference.manifest.shard.count;
  const byShard = new Map<number, ShardManifest>();
  for (const { path, manifest } of found) {
    const expected = shardImages(batch, manifest.shard).map((b) => b.name);
    const listed = manifest.images.map((i) => i.name);
    if (expected.join('\n') !== listed.join('\n')) {
      throw new InvalidArgumentError(
        `lists other images than shard ${manifest.shard.index}/${count} holds`,
        { file: path, hint: 'rerun that shard with --resume' },
      );
    }
    byShard.set(manifest.shard.index, manifest);
  }

  const outcomes = new Map(
    [...byShard.values()].flatMap((m) => m.images.map((i) => [i.name, i] as const)),
  );
  const missing: string[] = [];
  const unfinished: number[] = [];
  for (let index = 0; index < count; index++) {
    if (!byShard.has(index)) unfinished.push(index);
  }
  const result: BatchResult = { done: [], skipped: [], failures: [], removedTempFiles: [] };
  for (const image of batch) {
    const outcome = outcomes.get(image.name);
    if (outcome?.status === 'failed') {
      result.failures.push({
        image: image.name,
        files: image.files.join(';'),
        reason: outcome.reason,
      });
    } else if (outcome && existsSync(join(outDir, image.name, 'summary.json'))) {
      result.done.push(await readSummary(outDir, image.name));
    } else {
      missing.push(image.name);
    }
  }
  if (missing.length > 0) {
    const why = unfinished.length
      ? `shard${unfinished.length === 1 ? '' : 's'} ${unfinished.map((i) => `${i}/${count}`).join(', ')} did not finish (no manifest)`
      : 'their outputs are gone';
    throw new FileAccessError(
      `cannot merge: ${missing.length} of ${batch.length} images are missing (${list(missing)}): ${why}`,
      {
        file: outDir,
        hint: `rerun them with \`cellscope analyze <inputs> --out ${outDir} --shard i/${count} --resume\` (or \`cellscope slurm … --resume\`), then merge again`,
      },
    );
  }
  const images = batch.map(({ name, files }) => ({ name, files }));
  const conditions = new Map(batch.map((b) => [b.name, b.condition]));
  await writeBatchOutputs(images, result, config, { outDir, conditions });
  return { ...result, shards: count, images };
}
