import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../../errors.js';
import { randomCellposeWeights } from '../../../../test/cellpose-weights.js';
import { HAS_SHARED, readSharedBytes } from '../../../../test/shared.js';
import { buildCellposeOnnx } from '../onnx-graph.js';
import { decodeCellposeOnnx } from '../read-onnx.js';

const { onnx } = onnxProto;

describe('decodeCellposeOnnx', () => {
  it('reads back the architecture buildCellposeOnnx stores in the metadata', () => {
    const { model, architecture } = buildCellposeOnnx(
      randomCellposeWeights({ nbase: [2, 8, 16, 32, 64], diamMean: 17 }),
    );
    expect(decodeCellposeOnnx(model)).toEqual(architecture);
    expect(architecture.diamMean).toBe(17);
  });

  it('infers the widths of a graph without cellscope metadata', () => {
    const { model, architecture } = buildCellposeOnnx(
      randomCellposeWeights({ nbase: [2, 8, 16, 32, 64] }),
    );
    const proto = onnx.ModelProto.decode(model);
    proto.metadataProps = [];
    const inferred = decodeCellposeOnnx(onnx.ModelProto.encode(proto).finish());
    expect(inferred.nbase).toEqual([2, 64]);
    expect(inferred.nout).toBe(3);
    expect(inferred.diamMean).toBeUndefined();
    // Batch-norm running statistics are initializers too, so there are more than trainable ones.
    expect(inferred.parameterCount).toBeGreaterThan(architecture.parameterCount - 10);
  });

  it.skipIf(!HAS_SHARED)("reads PyTorch's export of the e2e fixture network", () => {
    const inferred = decodeCellposeOnnx(
      readSharedBytes('fixtures/cellpose/e2e/cpnet_small_trained.onnx'),
    );
    expect(inferred.nbase).toEqual([2, 64]);
    expect(inferred.nout).toBe(3);
  });

  it('refuses what is not a Cellpose ONNX graph', () => {
    expect(() => decodeCellposeOnnx(new TextEncoder().encode('no protobuf here at all'))).toThrow(
      ModelFormatError,
    );
    const empty = onnx.ModelProto.encode(onnx.ModelProto.create({ graph: { name: 'g' } })).finish();
    expect(() => decodeCellposeOnnx(empty)).toThrow(/no Cellpose tensor "input"/);
  });
});
