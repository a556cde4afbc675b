export {
  BUILT_IN_MODELS,
  BUILT_IN_MODEL_NAMES,
  MODEL_BASE_URL,
  getBuiltInModel,
  isBuiltInModelName,
  type BuiltInModel,
  type BuiltInModelName,
} from './registry.js';
export { modelCacheDir, type ModelCacheEnv } from './cache.js';
export {
  downloadFile,
  type DownloadOptions,
  type DownloadProgress,
  type DownloadResult,
  type FetchLike,
} from './download.js';
export {
  CHECKSUMS_FILE,
  readChecksums,
  recordChecksum,
  sha256File,
  verifyChecksum,
  type ChecksumStatus,
  type Checksums,
} from './checksums.js';
export { resolveModel, type ResolveModelOptions, type ResolvedModel } from './resolve-model.js';
export { listModels, type ListedModel } from './list-models.js';
export {
  isPackagedModelName,
  DEFAULT_MODELS,
  PACKAGED_MODEL_NAMES,
  PACKAGED_MODELS,
  type PackagedModelName,
} from './packaged.js';
export { packagedModelPath, packagedModelsDir } from './packaged-path.js';
