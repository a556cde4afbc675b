import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import type { Plane } from '../../../image/types.js';
import { HAS_SHARED } from '../../../../test/shared.js';
import { convertImage } from '../convert-image.js';
import { cellposeNpy, channelsFirst, compare, interleave } from './helpers.js';

const plane = (values: number[], width = values.length): Plane<Uint16Array> => ({
  width,
  height: values.length / width,
  data: Uint16Array.from(values),
});

describe('convertImage', () => {
  const red = plane([1, 2, 3, 4], 2);
  const green = plane([10, 20, 30, 40], 2);
  const blue = plane([100, 200, 300, 401], 2);

  it('picks [toSegment, nuclear] with 1-based channels and zeros for 0', () => {
    const [cyto, nuclei] = convertImage({ planes: [red, green, blue] }, [2, 1]);
    expect(Array.from(cyto.data)).toEqual([10, 20, 30, 40]);
    expect(Array.from(nuclei.data)).toEqual([1, 2, 3, 4]);
    expect(cyto.data).toBeInstanceOf(Float32Array);
    const [, none] = convertImage([red, green, blue], [3, 0]);
    expect(Array.from(none.data)).toEqual([0, 0, 0, 0]);
  });

  it('averages all channels in float32 for grayscale [0, c]', () => {
    const [gray, zeros] = convertImage([red, green, blue], [0, 2]);
    expect(Array.from(gray.data)).toEqual([111 / 3, 222 / 3, 333 / 3, 445 / 3].map(Math.fround));
    expect(Array.from(zeros.data)).toEqual([0, 0, 0, 0]);
  });

  it('keeps the first two channels when channels is undefined, zero-padding one channel', () => {
    const [a, b] = convertImage([red, green, blue]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(b.data)).toEqual([10, 20, 30, 40]);
    const [only, pad] = convertImage([green]);
    expect(Array.from(only.data)).toEqual([10, 20, 30, 40]);
    expect(Array.from(pad.data)).toEqual([0, 0, 0, 0]);
  });

  it('gives [image, zeros] for one channel whatever the selection, as Cellpose', () => {
    const [img, zeros] = convertImage([green], [2, 3]);
    expect(Array.from(img.data)).toEqual([10, 20, 30, 40]);
    expect(Array.from(zeros.data)).toEqual([0, 0, 0, 0]);
  });

  it('copies: the result never shares memory with the input', () => {
    const input = { width: 2, height: 1, data: Float32Array.from([1, 2]) };
    const [out] = convertImage([input, input], [1, 0]);
    out.data[0] = 99;
    expect(input.data[0]).toBe(1);
  });

  it('rejects channels that do not exist, naming the channel count', () => {
    expect(() => convertImage([red, green, blue], [4, 1])).toThrow(InvalidArgumentError);
    expect(() => convertImage([red, green, blue], [4, 1])).toThrow(/3 channels/);
    expect(() => convertImage([red, green], [1, 3])).toThrow(/2 channels/);
    expect(() => convertImage([red, green], [-1, 0])).toThrow(InvalidArgumentError);
    expect(() => convertImage([red, green], [1.5, 0])).toThrow(InvalidArgumentError);
    expect(() => convertImage([], [1, 0])).toThrow(InvalidArgumentError);
    expect(() => convertImage([red, plane([1, 2, 3, 4], 4)])).toThrow(/same size/);
  });
});

describe.skipIf(!HAS_SHARED)('convertImage against Cellpose 3.1.1.3', () => {
  it('reproduces e2e/converted.npy (channels [2, 1]) exactly', () => {
    const planes = channelsFirst(cellposeNpy('e2e/image_cyx.npy'));
    const image = cellposeNpy('e2e/image_cyx.npy');
    const raw = image.data as Uint16Array;
    const [, height, width] = image.shape;
    const uint16Planes = planes.map((_, c) => ({
      width,
      height,
      data: raw.slice(c * width * height, (c + 1) * width * height),
    }));
    const converted = convertImage({ planes: uint16Planes }, [2, 1]);
    const expected = cellposeNpy('e2e/converted.npy').data as Float32Array;
    expect(compare(interleave(converted), expected)).toEqual({ maxAbs: 0, differing: 0 });
  });
});
