import { resolve } from 'node:path';
import { modelCacheDir } from '../cellpose/models/cache.js';
import { isPackagedModelName } from '../cellpose/models/packaged.js';
import { resolveModel } from '../cellpose/models/resolve-model.js';
import type { AnalysisConfig } from '../pipeline/config.js';

export interface ResolvedConfigModels {
  /** The config the shards run: custom models by absolute path, and never a download. */
  config: AnalysisConfig;
  /** The download cache the shards read, when a built-in model comes from it. */
  cacheDir?: string;
  /** One line per model: which, and where from. */
  lines: string[];
}

/**
 * Resolves the config's Cellpose models once, before any shard runs (downloading a built-in
 * model here when the config allows it), so that N tasks never download at the same time: the
 * shards' config forbids downloads and reads the cache this process filled.
 */
export async function resolveConfigModels(
  config: AnalysisConfig,
  options: {
    onProgress?: (received: number, total: number | undefined, file: string) => void;
  } = {},
): Promise<ResolvedConfigModels> {
  const resolved: AnalysisConfig = structuredClone(config);
  const lines: string[] = [];
  let cacheDir: string | undefined;
  const steps = [resolved.nuclei, resolved.cells];
  const seen = new Map<string, string>();
  for (const step of steps) {
    if (step.method !== 'cellpose') continue;
    const name = step.model;
    if (isPackagedModelName(name)) {
      lines.push(`model ${name}: ships with cellscope`);
      continue;
    }
    let path = seen.get(name);
    if (path === undefined) {
      const model = await resolveModel(name, {
        download: config.downloadModels,
        onProgress: options.onProgress,
      });
      if (model.builtIn) {
        cacheDir = resolve(modelCacheDir());
        path = name;
        lines.push(`model ${name}: ${model.weightsPath} (the nodes must see this folder)`);
      } else {
        path = model.weightsPath;
        lines.push(`model ${name}: ${path}`);
      }
      seen.set(name, path);
    }
    step.model = path;
  }
  resolved.downloadModels = false;
  return { config: resolved, cacheDir, lines };
}
