import { describe, expect, it } from 'vitest';
import { HAS_SHARED, readSharedBytes, readSharedJson } from '../../../test/shared.js';
import { ModelFormatError } from '../../errors.js';
import { diameterFromStyle, decodeSizeModel } from '../size-model.js';

interface SizeManifest {
  size: {
    params: { A: number[]; smean: number[]; ymean: number; diam_mean: number };
    style_in: number[];
    diam_from_style: number;
  };
}

describe.skipIf(!HAS_SHARED)('Cellpose size model (fixtures/cellpose/size)', () => {
  const manifest = (): SizeManifest['size'] =>
    readSharedJson<SizeManifest>('fixtures/cellpose/manifest.json').size;

  it('reads the pickled size_*.npy dict safely, with the manifest values', () => {
    const model = decodeSizeModel(readSharedBytes('fixtures/cellpose/size/size_params.npy'));
    const { params } = manifest();
    expect(Array.from(model.A)).toEqual(params.A);
    expect(Array.from(model.smean)).toEqual(params.smean);
    expect([model.ymean, model.diamMean]).toEqual([params.ymean, params.diam_mean]);
  });

  it('estimates the diameter from a style vector as SizeModel does', () => {
    const model = decodeSizeModel(readSharedBytes('fixtures/cellpose/size/size_params.npy'));
    const { style_in: style, diam_from_style: expected } = manifest();
    expect(diameterFromStyle(style, model)).toBeCloseTo(expected, 10);
  });

  it('refuses a truncated file and a pickle that is not numpy data', () => {
    const bytes = readSharedBytes('fixtures/cellpose/size/size_params.npy');
    expect(() => decodeSizeModel(bytes.subarray(0, 300))).toThrow(ModelFormatError);
    const evil = Uint8Array.from(bytes);
    const at = Buffer.from(evil).indexOf('numpy.core.multiarray\n_reconstruct');
    const text = 'posix\nsystem\n';
    evil.set(new TextEncoder().encode(text.padEnd(34, ' ')), at);
    expect(() => decodeSizeModel(evil)).toThrow(ModelFormatError);
  });
});

describe('diameterFromStyle', () => {
  const model = { A: new Float64Array(4), smean: new Float64Array(4), ymean: 0, diamMean: 30 };

  it('gives diam_mean for a zero regression and clamps to at least 5', () => {
    expect(diameterFromStyle([0.5, 0.5], model)).toBeCloseTo(30, 12);
    expect(diameterFromStyle([1], { ...model, ymean: -10 })).toBe(5);
  });
});
