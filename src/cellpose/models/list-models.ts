import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { modelCacheDir } from './cache.js';
import { BUILT_IN_MODEL_NAMES, getBuiltInModel, type BuiltInModel } from './registry.js';

/** A built-in model and what of it is in the cache. */
export interface ListedModel extends BuiltInModel {
  /** Where its weights are (or would be) in the cache folder. */
  weightsPath: string;
  /** Where its size model is (or would be) in the cache folder. */
  sizeModelPath: string;
  /** True when both the weights and the size model are in the cache. */
  cached: boolean;
  /** Bytes the model's files take in the cache (0 when none is there). */
  bytes: number;
}

/**
 * Lists the built-in models with whether each is in the cache and how much space it takes.
 * Reads file sizes only; checksums are not verified here.
 * @param cacheDir the model cache folder. @default modelCacheDir()
 */
export async function listModels(cacheDir: string = modelCacheDir()): Promise<ListedModel[]> {
  const dir = resolve(cacheDir);
  return Promise.all(
    BUILT_IN_MODEL_NAMES.map(async (name) => {
      const model = getBuiltInModel(name);
      const weightsPath = join(dir, model.weightsFile);
      const sizeModelPath = join(dir, model.sizeModelFile);
      const sizes = await Promise.all([fileSize(weightsPath), fileSize(sizeModelPath)]);
      return {
        ...model,
        weightsPath,
        sizeModelPath,
        cached: sizes.every((size) => size !== undefined),
        bytes: sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0),
      };
    }),
  );
}

async function fileSize(path: string): Promise<number | undefined> {
  return stat(path).then(
    (info) => (info.isFile() ? info.size : undefined),
    () => undefined,
  );
}
