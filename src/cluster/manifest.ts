import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FileAccessError, InvalidArgumentError } from '../errors.js';
import { readFileBytes, writeFileAtomic } from '../io/files.js';
import type { BatchImage } from '../pipeline/batch.js';
import type { AnalysisConfig } from '../pipeline/config.js';
import { shardFileName, type Shard } from './shard.js';

/** cellscope's version, as package.json gives it (a test keeps the two equal). */
export const CELLSCOPE_VERSION = '0.1.0';

/** The manifest format, so a later cellscope can refuse or convert older ones. */
export const MANIFEST_FORMAT = 'cellscope-shard/1';

/** The folder inside `--out` that holds the shards' manifests. */
export const SHARDS_FOLDER = 'shards';

/** One image of the whole batch, as every shard lists it. */
export interface ManifestImage {
  name: string;
  files: string[];
  condition: string;
}

/** How one of the shard's images ended. */
export type ImageOutcome =
  | { name: string; status: 'done'; cells: number; resumed: boolean }
  | { name: string; status: 'failed'; reason: string };

/** What a shard writes last (`<out>/shards/shard-i-of-N.json`): which images, how each ended. */
export interface ShardManifest {
  format: typeof MANIFEST_FORMAT;
  shard: Shard;
  partition: 'round-robin';
  versions: { cellscope: string; node: string };
  configHash: string;
  config: AnalysisConfig;
  batchHash: string;
  /** Every image of the batch in batch order, so merge needs nothing but the manifests. */
  batch: ManifestImage[];
  images: ImageOutcome[];
  host: string;
  started: string;
  finished: string;
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** The hash merge compares: two configs that parse to the same values hash alike. */
export function configHash(config: AnalysisConfig): string {
  return sha256(canonicalJson(config));
}

/** The batch as every shard must see it: names, files and conditions in batch order. */
export function manifestBatch(
  images: readonly BatchImage[],
  conditions?: Map<string, string>,
): ManifestImage[] {
  return images.map((image) => ({
    name: image.name,
    files: [...image.files],
    condition: conditions?.get(image.name) ?? '',
  }));
}

export function batchHash(batch: readonly ManifestImage[]): string {
  return sha256(canonicalJson(batch));
}

export function currentVersions(): ShardManifest['versions'] {
  return { cellscope: CELLSCOPE_VERSION, node: process.version };
}

export function manifestPath(outDir: string, shard: Shard): string {
  return join(outDir, SHARDS_FOLDER, shardFileName(shard));
}

export function manifestHost(): string {
  return hostname();
}

export async function writeManifest(outDir: string, manifest: ShardManifest): Promise<void> {
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeFileAtomic(manifestPath(outDir, manifest.shard), text);
}

/** Removes a shard's manifest before it reruns, so a killed rerun reads as unfinished. */
export async function removeManifest(outDir: string, shard: Shard): Promise<void> {
  await rm(manifestPath(outDir, shard), { force: true });
}

const MANIFEST_NAME = /^shard-(\d+)-of-(\d+)\.json$/;

/** Every manifest in `<out>/shards/`, with its file path; none when the folder is absent. */
export async function readManifests(
  outDir: string,
): Promise<{ path: string; manifest: ShardManifest }[]> {
  const folder = join(outDir, SHARDS_FOLDER);
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw new FileAccessError(`cannot list the shard manifests (${error.message})`, {
      file: folder,
    });
  });
  const found = [];
  for (const name of names.filter((n) => MANIFEST_NAME.test(n)).sort(byShardNumbers)) {
    const path = join(folder, name);
    found.push({ path, manifest: parseManifest(await readFileBytes(path), path) });
  }
  return found;
}

function byShardNumbers(a: string, b: string): number {
  const [, ai, an] = MANIFEST_NAME.exec(a) ?? [];
  const [, bi, bn] = MANIFEST_NAME.exec(b) ?? [];
  return Number(an) - Number(bn) || Number(ai) - Number(bi);
}

function parseManifest(bytes: Uint8Array, path: string): ShardManifest {
  let value: Partial<ShardManifest>;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes)) as Partial<ShardManifest>;
  } catch (cause) {
    throw new InvalidArgumentError('is not a shard manifest (not JSON)', {
      file: path,
      hint: 'delete it and rerun that shard with --resume',
      cause,
    });
  }
  if (value.format !== MANIFEST_FORMAT) {
    throw new InvalidArgumentError(
      `is not a ${MANIFEST_FORMAT} manifest (format ${JSON.stringify(value.format)})`,
      { file: path, hint: 'rerun that shard with this cellscope' },
    );
  }
  for (const key of ['shard', 'versions', 'config', 'batch', 'images'] as const) {
    if (value[key] === undefined) {
      throw new InvalidArgumentError(`the shard manifest lacks "${key}"`, { file: path });
    }
  }
  return value as ShardManifest;
}

/** What two shards of one batch must share; merge refuses shards that differ in any of these. */
export type ManifestIdentity = Pick<
  ShardManifest,
  'shard' | 'versions' | 'configHash' | 'batchHash'
>;

/** How `other` differs from `reference` in what shards of one batch share, or undefined. */
export function describeMismatch(
  reference: ManifestIdentity,
  other: ManifestIdentity,
): string | undefined {
  if (other.shard.count !== reference.shard.count) {
    return `split the batch into ${reference.shard.count} and ${other.shard.count} shards`;
  }
  const { cellscope: v1, node: n1 } = reference.versions;
  const { cellscope: v2, node: n2 } = other.versions;
  if (v1 !== v2 || n1 !== n2) {
    return `ran different versions (cellscope ${v1} on Node ${n1}, cellscope ${v2} on Node ${n2})`;
  }
  if (other.configHash !== reference.configHash) {
    return `ran different configs (${reference.configHash.slice(0, 19)}…, ${other.configHash.slice(0, 19)}…)`;
  }
  if (other.batchHash !== reference.batchHash) {
    return 'saw different images or conditions (did files change between the shards?)';
  }
  return undefined;
}
