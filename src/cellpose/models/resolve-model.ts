import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { FileAccessError } from '../../errors.js';
import { modelCacheDir } from './cache.js';
import { recordChecksum, sha256File, verifyChecksum } from './checksums.js';
import { downloadFile, type FetchLike } from './download.js';
import { isPackagedModelName, PACKAGED_MODELS } from './packaged.js';
import { packagedModelPath, packagedSizeModelPath } from './packaged-path.js';
import { BUILT_IN_MODEL_NAMES, getBuiltInModel, isBuiltInModelName } from './registry.js';

/** Where a model's files are, ready to be read. */
export interface ResolvedModel {
  /** The built-in name (`cyto3`), or the file name of a custom model. */
  name: string;
  /** Absolute path of the PyTorch weight file. */
  weightsPath: string;
  /** Absolute path of the size model (`size_*.npy`); built-in and packaged models. */
  sizeModelPath?: string;
  /** Training diameter in pixels; built-ins only (custom models store it in their file). */
  diamMean?: number;
  /** True for `cyto3`, `nuclei`, `cyto2`, `cyto`. */
  builtIn: boolean;
  /** True for cellscope's own models, which ship in the package (`cellscope-nuclei`). */
  packaged?: boolean;
}

export interface ResolveModelOptions {
  /** Download a built-in model's missing files. @default false */
  download?: boolean;
  /** The model cache folder. @default modelCacheDir() */
  cacheDir?: string;
  /** The fetch used for downloads (tests inject one). @default globalThis.fetch */
  fetch?: FetchLike;
  /** Download progress in bytes, with the file name being fetched. */
  onProgress?: (receivedBytes: number, totalBytes: number | undefined, file: string) => void;
  /** Aborts a download; its `.part` file is kept for a resume. */
  signal?: AbortSignal;
}

/**
 * Finds a model's files. A built-in name (`cyto3`, `nuclei`, `cyto2`, `cyto`; these win over a
 * same-named file, write `./cyto3` for that) is looked up in the cache folder: present files
 * are checked against their recorded SHA-256, missing ones are downloaded when `download` is
 * set (weights and size model both; their hashes are recorded). Anything else that exists,
 * contains a path separator or ends in `.pth` is a custom weight file, used as is.
 *
 * @throws InvalidArgumentError for an unknown name that is not a path (lists the valid names).
 * @throws FileAccessError for a custom file that is missing or unreadable, for a built-in not in
 *   the cache without `download` (says to run `cellscope models download <name>` or where to put
 *   the files), and for a failed download.
 * @throws ModelFormatError when a cached file does not match its recorded checksum.
 */
export async function resolveModel(
  nameOrPath: string,
  options: ResolveModelOptions = {},
): Promise<ResolvedModel> {
  if (isPackagedModelName(nameOrPath)) {
    const weightsPath = packagedModelPath(nameOrPath);
    const sizeModelPath = packagedSizeModelPath(nameOrPath);
    for (const path of [weightsPath, sizeModelPath]) {
      if (!(await isFile(path))) {
        throw new FileAccessError(`the packaged model file is missing: ${path}`, {
          hint: 'reinstall cellscope; its models/ folder ships with the package',
        });
      }
    }
    const { diamMean } = PACKAGED_MODELS[nameOrPath];
    return {
      name: nameOrPath,
      weightsPath,
      sizeModelPath,
      diamMean,
      builtIn: false,
      packaged: true,
    };
  }
  if (!isBuiltInModelName(nameOrPath) && (await looksLikePath(nameOrPath))) {
    return resolveCustomModel(nameOrPath);
  }
  const model = getBuiltInModel(nameOrPath);
  const cacheDir = resolve(options.cacheDir ?? modelCacheDir());
  const files = [
    { path: join(cacheDir, model.weightsFile), url: model.weightsUrl },
    { path: join(cacheDir, model.sizeModelFile), url: model.sizeModelUrl },
  ];
  const present = await Promise.all(files.map((file) => isFile(file.path)));
  const missing = files.filter((_, i) => !present[i]);
  if (missing.length > 0 && !options.download) {
    const where = missing.map((file) => `${file.url} at ${file.path}`).join(' and ');
    throw new FileAccessError(
      `model "${model.name}" is not downloaded: ${missing.map((file) => file.path).join(' and ')} not found`,
      {
        hint: `run \`cellscope models download ${model.name}\`, or to work offline put ${where}`,
      },
    );
  }
  for (const [i, file] of files.entries()) {
    if (present[i]) {
      await verifyChecksum(file.path);
      continue;
    }
    const name = basename(file.path);
    await downloadFile(file.url, file.path, {
      fetch: options.fetch,
      signal: options.signal,
      onProgress: options.onProgress && ((got, total) => options.onProgress?.(got, total, name)),
    });
    // Trust on first use: a fresh download replaces whatever hash an earlier copy had.
    await recordChecksum(cacheDir, name, await sha256File(file.path));
  }
  return {
    name: model.name,
    weightsPath: files[0].path,
    sizeModelPath: files[1].path,
    diamMean: model.diamMean,
    builtIn: true,
  };
}

async function looksLikePath(text: string): Promise<boolean> {
  return text.includes('/') || text.includes(sep) || text.endsWith('.pth') || (await exists(text));
}

async function resolveCustomModel(path: string): Promise<ResolvedModel> {
  const absolute = resolve(path);
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(absolute)).isDirectory();
    await access(absolute, constants.R_OK);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new FileAccessError(
      code === 'ENOENT' ? 'model file not found' : `cannot read (${(cause as Error).message})`,
      {
        file: path,
        hint: `give the path of a Cellpose weight file, or a built-in model: ${BUILT_IN_MODEL_NAMES.join(', ')}`,
        cause,
      },
    );
  }
  if (isDirectory) {
    throw new FileAccessError('is a directory, not a model file', {
      file: path,
      hint: 'give the path of the weight file itself',
    });
  }
  return { name: basename(absolute), weightsPath: absolute, builtIn: false };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}
