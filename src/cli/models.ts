import { writeFileAtomic, readFileBytes } from '../io/files.js';
import { withFile, CellscopeError } from '../errors.js';
import { buildCellposeOnnx } from '../cellpose/network/onnx-graph.js';
import { readStateDict } from '../cellpose/weights/state-dict.js';

/** `cellscope models convert`: a Cellpose .pth as an ONNX file other tools can run. */
export async function runModelsConvert(
  weightsPath: string,
  options: { out: string },
  log: (line: string) => void,
): Promise<void> {
  const bytes = await readFileBytes(weightsPath);
  let converted: ReturnType<typeof buildCellposeOnnx>;
  try {
    converted = buildCellposeOnnx(readStateDict(bytes));
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
