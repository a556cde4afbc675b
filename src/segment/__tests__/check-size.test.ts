import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import type { Plane } from '../../image/types.js';
import { segmentCellsFromNuclei } from '../cells.js';
import { segmentNucleiClassical } from '../nuclei.js';

// Sizes from issue 15 that crashed V8 or never ended: refused before any work, in one line.

function disk(width: number, height: number): Plane {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++)
      data[y * width + x] = (x - 20) ** 2 + (y - 20) ** 2 < 64 ? 1 : 0;
  }
  return { width, height, data };
}

function failure(run: () => unknown): InvalidArgumentError {
  const started = performance.now();
  try {
    run();
  } catch (error) {
    expect(performance.now() - started).toBeLessThan(500);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('expected a failure');
}

describe('segmentNucleiClassical checks sizes against the image first', () => {
  const plane = disk(64, 48);

  it.each([1e5, 1e9, 0.5, 0, NaN])('refuses diameter %s', (diameterPx) => {
    const error = failure(() => segmentNucleiClassical(plane, { diameterPx }));
    expect(error.describe()).toBe(
      `diameter ${diameterPx} px does not fit the 64 × 48 image (give a diameter from 1 to 64 px, or auto)`,
    );
  });

  it('refuses a smoothing σ of 1e6 instead of running without end', () => {
    expect(failure(() => segmentNucleiClassical(plane, { smoothingSigma: 1e6 })).message).toBe(
      'smoothing σ 1000000 px does not fit the 64 × 48 image',
    );
  });

  it('refuses an opening radius and a minimum distance beyond the image', () => {
    expect(failure(() => segmentNucleiClassical(plane, { openingRadiusPx: 1e4 })).message).toMatch(
      /^opening radius 10000 px/,
    );
    expect(failure(() => segmentNucleiClassical(plane, { minDistancePx: 65 })).message).toMatch(
      /^minimum distance 65 px/,
    );
  });

  it('still segments with sizes at the limits', () => {
    expect(segmentNucleiClassical(plane, { diameterPx: 16, smoothingSigma: 1 }).count).toBe(1);
    expect(segmentNucleiClassical(plane, { diameterPx: 64 }).diameterPx).toBe(64);
  });

  it('bounds the cell channel smoothing too', () => {
    const nuclei = segmentNucleiClassical(plane).labels;
    expect(
      failure(() => segmentCellsFromNuclei(nuclei, plane, { smoothingSigma: 1e6 })).message,
    ).toBe('smoothing σ 1000000 px does not fit the 64 × 48 image');
  });
});
