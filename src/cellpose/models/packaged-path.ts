import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PACKAGED_MODELS, type PackagedModelName } from './packaged.js';

/**
 * The package's `models/` folder: next to `dist/` when running the build (tsup puts every chunk
 * in dist/), three levels up from this file when running from source.
 */
export function packagedModelsDir(): string {
  const candidates = ['../models/', '../../../models/'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  // From source, '../models/' is this very folder: look for the weights, not just a folder.
  const first = Object.values(PACKAGED_MODELS)[0].file;
  return candidates.find((dir) => existsSync(`${dir}${first}`)) ?? candidates[0];
}

/** Absolute path of a packaged model's weights. */
export function packagedModelPath(name: PackagedModelName): string {
  return `${packagedModelsDir()}${PACKAGED_MODELS[name].file}`;
}

/** Absolute path of a packaged model's size model (`size_<name>.npy`). */
export function packagedSizeModelPath(name: PackagedModelName): string {
  return `${packagedModelsDir()}${PACKAGED_MODELS[name].sizeModelFile}`;
}
