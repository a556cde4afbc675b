import { PACKAGED_MODEL_NAMES, PACKAGED_MODELS } from '../cellpose/models/packaged.js';
import { writeFileAtomic, readFileBytes } from '../io/files.js';
import { withFile, CellscopeError } from '../errors.js';
import { checkCpnetLayout } from '../cellpose/network/architecture.js';
import { buildCellposeOnnx } from '../cellpose/network/onnx-graph.js';
import {
  getBuiltInModel,
  listModels,
  modelCacheDir,
  resolveModel,
} from '../cellpose/models/index.js';
import { decodeStateDict } from '../cellpose/weights/state-dict.js';

/** `cellscope models convert`: a Cellpose .pth as an ONNX file other tools can run. */
export async function runModelsConvert(
  weightsPath: string,
  options: { out: string },
  log: (line: string) => void,
): Promise<void> {
  const bytes = await readFileBytes(weightsPath);
  let converted: ReturnType<typeof buildCellposeOnnx>;
  try {
    converted = buildCellposeOnnx(decodeStateDict(bytes, { validate: checkCpnetLayout }));
  } catch (error) {
    throw error instanceof CellscopeError ? withFile(error, weightsPath) : error;
  }
  await writeFileAtomic(options.out, converted.model, { protect: [weightsPath] });
  const { nbase, nout, parameterCount, diamMean } = converted.architecture;
  log(
    `wrote ${options.out}: CPnet nbase [${nbase.join(', ')}], ${nout} outputs, ` +
      `${parameterCount.toLocaleString('en')} parameters` +
      (diamMean === undefined ? '' : `, diam_mean ${diamMean}`) +
      '; input "input" [N, 2, H, W] (H, W multiples of 16), outputs "flows_cellprob", "style"',
  );
}

/** `cellscope models list`: the built-in models and whether they are in the cache. */
export async function runModelsList(log: (line: string) => void): Promise<void> {
  const cache = modelCacheDir();
  const width = Math.max(...PACKAGED_MODEL_NAMES.map((name) => name.length));
  for (const name of PACKAGED_MODEL_NAMES) {
    const entry = PACKAGED_MODELS[name];
    log(
      `  ${name.padEnd(width)} diam_mean ${entry.diamMean}  in the package  ${entry.description}`,
    );
  }
  log(`model cache: ${cache} (set CELLSCOPE_MODELS to move it)`);
  for (const model of await listModels(cache)) {
    const state = model.cached ? `cached, ${(model.bytes / 1e6).toFixed(1)} MB` : 'not downloaded';
    const entry = getBuiltInModel(model.name);
    log(
      `  ${model.name.padEnd(7)} diam_mean ${String(entry.diamMean).padEnd(3)} ${state}  ${entry.description}`,
    );
  }
}

/** `cellscope models download <names...>`: fetch built-in models into the cache. */
export async function runModelsDownload(
  names: string[],
  log: (line: string) => void,
): Promise<void> {
  for (const name of names) getBuiltInModel(name); // unknown names fail before any download
  for (const name of names) {
    let shown = -1;
    const resolved = await resolveModel(name, {
      download: true,
      onProgress: (received, total, file) => {
        const percent = total ? Math.floor((100 * received) / total) : -1;
        if (percent !== shown && (percent % 10 === 0 || received === total)) {
          shown = percent;
          log(`  ${file}: ${(received / 1e6).toFixed(1)} MB${total ? ` (${percent}%)` : ''}`);
        }
      },
    });
    log(`${name}: ${resolved.weightsPath}`);
  }
}
