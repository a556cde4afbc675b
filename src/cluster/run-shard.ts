import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import type { ImageSummary } from '../pipeline/analyze-image.js';
import {
  analyzeImages,
  BATCH_OUTPUTS,
  type BatchImage,
  type BatchOptions,
  type BatchResult,
} from '../pipeline/batch.js';
import type { AnalysisConfig } from '../pipeline/config.js';
import { assertDistinctFolders } from '../pipeline/output-names.js';
import {
  batchHash,
  configHash,
  currentVersions,
  describeMismatch,
  MANIFEST_FORMAT,
  manifestBatch,
  manifestHost,
  readManifests,
  removeManifest,
  writeManifest,
  type ImageOutcome,
  type ManifestIdentity,
  type ShardManifest,
} from './manifest.js';
import { resolveConfigModels } from './resolve-models.js';
import { checkShard, shardImages, type Shard } from './shard.js';

export interface ShardOptions extends BatchOptions {
  shard: Shard;
}

export interface ShardResult extends BatchResult {
  /** The shard's own images, in batch order. */
  images: BatchImage[];
  manifest: ShardManifest;
}

/**
 * Runs one shard of a batch (see `shardImages`) into the shared `outDir`: its images' folders
 * as `analyzeBatch` writes them, then, last and atomically, `outDir/shards/shard-i-of-N.json`
 * saying how each image ended, with the versions, the config and the whole batch's list. No
 * batch-level output is written: `mergeShards` does that once every shard is done.
 *
 * With `resume`, complete images (their summary.json exists) are kept, and the shard refuses to
 * go on when manifests already in `outDir` come from another config, version or image list.
 * A shard never downloads a model (`downloadModels` is ignored): a missing official model fails
 * it before any image, naming `cellscope models download`.
 */
export async function analyzeShard(
  images: readonly BatchImage[],
  config: AnalysisConfig,
  options: ShardOptions,
): Promise<ShardResult> {
  const shard = checkShard(options.shard);
  if (images.length === 0) {
    throw new InvalidArgumentError('no images to analyse in the inputs', {
      hint: 'give image files (.tif, .tiff, .png, .jpg) or folders that hold them',
    });
  }
  // Every shard checks the whole batch's folders, so no two shards can write one folder.
  assertDistinctFolders(images, BATCH_OUTPUTS, options.outDir);
  // N shards never download at once: the models must be there (cellscope slurm fetched them).
  const shardConfig = (await resolveConfigModels({ ...config, downloadModels: false })).config;
  const batch = manifestBatch(images, options.conditions);
  const identity: ManifestIdentity = {
    shard,
    versions: currentVersions(),
    configHash: configHash(shardConfig),
    batchHash: batchHash(batch),
  };
  if (options.resume) await assertResumable(options.outDir, identity);
  await removeManifest(options.outDir, shard);
  const started = new Date().toISOString();
  const mine = shardImages(images, shard);
  const result = await analyzeImages(mine, shardConfig, { ...options, ownFoldersOnly: true });

  const done = new Map(result.done.map((d) => [d.image, d]));
  const failed = new Map(result.failures.map((f) => [f.image, f]));
  const outcomes: ImageOutcome[] = [];
  for (const image of mine) {
    const failure = failed.get(image.name);
    if (failure) {
      outcomes.push({ name: image.name, status: 'failed', reason: failure.reason });
      continue;
    }
    const summary = done.get(image.name) ?? (await readSummary(options.outDir, image.name));
    const resumed = !done.has(image.name);
    outcomes.push({ name: image.name, status: 'done', cells: summary.cells, resumed });
  }
  const manifest: ShardManifest = {
    format: MANIFEST_FORMAT,
    partition: 'round-robin',
    ...identity,
    config: shardConfig,
    batch,
    images: outcomes,
    host: manifestHost(),
    started,
    finished: new Date().toISOString(),
  };
  await writeManifest(options.outDir, manifest);
  return { ...result, images: mine, manifest };
}

/** An image's summary.json, as `analyzeImage` wrote it last. */
export async function readSummary(outDir: string, image: string): Promise<ImageSummary> {
  const path = join(outDir, image, 'summary.json');
  return JSON.parse(await readFile(path, 'utf8')) as ImageSummary;
}

/** Resuming next to shards of another config or image list would mix two batches' results. */
async function assertResumable(outDir: string, identity: ManifestIdentity): Promise<void> {
  for (const { path, manifest } of await readManifests(outDir)) {
    const mismatch = describeMismatch(manifest, identity);
    if (mismatch) {
      throw new InvalidArgumentError(`cannot resume: this shard and ${path} ${mismatch}`, {
        hint: 'resume with the same inputs, config and cellscope, or start over in a new --out folder',
      });
    }
  }
}
