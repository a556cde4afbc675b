import { describe, expect, it } from 'vitest';
import {
  argument,
  loadInput,
  loadOutput,
  npyLabels,
  npyPlane,
  skimageCase,
} from '../../../test/skimage-fixtures.js';
import { HAS_SHARED } from '../../../test/shared.js';
import type { Labels } from '../../image/types.js';
import { label2rgb } from '../label2rgb.js';
import { label2rgba } from '../label2rgba.js';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe.skipIf(!HAS_SHARED)('label2rgb matches skimage 0.19.3', () => {
  it('labels alone (alpha forced to 1, black background)', () => {
    const c = skimageCase('color/label2rgb_noimage');
    const labels = npyLabels(loadInput(c, 'label'));
    const expected = loadOutput(c, 'rgb');
    const ours = label2rgb(labels, {
      alpha: argument<number>(c, 'alpha'),
      bgLabel: argument<number>(c, 'bg_label'),
      bgColor: argument<[number, number, number]>(c, 'bg_color'),
      imageAlpha: argument<number>(c, 'image_alpha'),
    });
    expect([ours.height, ours.width, 3]).toEqual(expected.shape);
    expect(maxAbsDiff(ours.data, expected.data as Float64Array)).toBe(0);
  });

  it('over a uint8 grey image with alpha 0.3', () => {
    const c = skimageCase('color/label2rgb_image_u8_alpha0.3');
    const labels = npyLabels(loadInput(c, 'label'));
    const image = npyPlane(loadInput(c, 'image'));
    const expected = loadOutput(c, 'rgb');
    const ours = label2rgb(labels, {
      image,
      alpha: argument<number>(c, 'alpha'),
      bgLabel: argument<number>(c, 'bg_label'),
      bgColor: argument<[number, number, number]>(c, 'bg_color'),
      imageAlpha: argument<number>(c, 'image_alpha'),
    });
    expect(maxAbsDiff(ours.data, expected.data as Float64Array)).toBe(0);
  });
});

describe('label2rgb', () => {
  const labels: Labels = { width: 4, height: 1, data: Uint32Array.of(0, 7, 3, 7) };

  it('gives the sorted labels the colour cycle in turn, whatever their numbering', () => {
    const { data } = label2rgb(labels, { colors: ['red', [0, 0, 1]] });
    // 3 is the first label → red, 7 the second → blue; background stays black.
    expect(Array.from(data)).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1]);
  });

  it('cycles colours and leaves the background as the image with bgColor null', () => {
    const image = { width: 4, height: 1, data: Uint8Array.of(255, 0, 0, 0) };
    const { data } = label2rgb(labels, { image, colors: ['white'], alpha: 0.5, bgColor: null });
    expect(Array.from(data)).toEqual([1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  });

  it('label2rgba rounds as img_as_ubyte', () => {
    const image = { width: 4, height: 1, data: Float32Array.of(0.5, 0, 1, 0) };
    const rgba = label2rgba(labels, { image, colors: ['red'], alpha: 0.5 });
    expect(Array.from(rgba.data.slice(0, 12))).toEqual([
      // background: 0.5 · black + 0.5 · 0.5 = 0.25 → 63.75 → 64
      64, 64, 64, 255, 128, 0, 0, 255, 255, 128, 128, 255,
    ]);
  });

  it('rejects an image of another size', () => {
    const image = { width: 3, height: 1, data: new Uint8Array(3) };
    expect(() => label2rgb(labels, { image })).toThrow(/4×1/);
  });
});
