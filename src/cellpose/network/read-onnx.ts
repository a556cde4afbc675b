import onnxProto from 'onnx-proto';
import { ModelFormatError } from '../../errors.js';
import type { CellposeArchitecture } from './architecture.js';
import { CELLPOSE_ONNX_ARCHITECTURE_KEY, CELLPOSE_ONNX_NAMES } from './onnx-graph.js';

const { onnx } = onnxProto;

/**
 * The Cellpose network an ONNX file holds: the architecture cellscope wrote into its metadata
 * (`cellscope models convert`), or, for a graph exported elsewhere (e.g. `torch.onnx.export` of
 * CPnet), the input, output and style widths read off its inputs and outputs; `nbase` is then
 * `[input channels, style length]` and `diamMean` unknown (30 is assumed downstream).
 *
 * @throws ModelFormatError when the bytes are not ONNX or lack Cellpose's `input`,
 *   `flows_cellprob` and `style` tensors
 */
export function decodeCellposeOnnx(bytes: Uint8Array): CellposeArchitecture {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new ModelFormatError(`not an ONNX model: ${(error as Error).message}`, {
      hint: 'convert Cellpose weights with "cellscope models convert x.pth --out x.onnx"',
    });
  }
  const stored = model.metadataProps?.find((p) => p.key === CELLPOSE_ONNX_ARCHITECTURE_KEY);
  if (stored?.value) return JSON.parse(stored.value) as CellposeArchitecture;

  const widthOf = (values: onnxProto.onnx.IValueInfoProto[] | null | undefined, name: string) => {
    const found = values?.find((v) => v.name === name);
    const dim = found?.type?.tensorType?.shape?.dim?.[1]?.dimValue;
    const width = dim === undefined || dim === null ? NaN : Number(dim);
    if (!(width > 0)) {
      throw new ModelFormatError(`the ONNX graph has no Cellpose tensor "${name}" of known width`, {
        hint: `a Cellpose network takes "${CELLPOSE_ONNX_NAMES.input}" and gives "${CELLPOSE_ONNX_NAMES.flows}" and "${CELLPOSE_ONNX_NAMES.style}"; convert a .pth with "cellscope models convert"`,
      });
    }
    return width;
  };
  const graph = model.graph;
  return {
    nbase: [
      widthOf(graph?.input, CELLPOSE_ONNX_NAMES.input),
      widthOf(graph?.output, CELLPOSE_ONNX_NAMES.style),
    ],
    nout: widthOf(graph?.output, CELLPOSE_ONNX_NAMES.flows),
    kernel: 3,
    parameterCount: (graph?.initializer ?? []).reduce(
      (n, t) => n + (t.dims ?? []).reduce((p: number, d) => p * Number(d), 1),
      0,
    ),
  };
}
