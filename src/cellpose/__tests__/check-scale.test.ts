import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { cellposeModelFromForward } from '../cellpose-model.js';
import { segmentCellpose } from '../segment-cellpose.js';

// Diameters from issue 15 (0.01 px: "Invalid typed array length"; 0.5 px: minutes; 1e5 px:
// a V8 fatal error) are refused before the network runs.

const model = (calls: number[]) =>
  cellposeModelFromForward({ nbase: [2, 32], nout: 3, kernel: 3, parameterCount: 0 }, async () => {
    calls.push(1);
    throw new Error('the network must not run');
  });

const plane = (width: number, height: number) => ({
  width,
  height,
  data: new Float32Array(width * height).fill(1),
});

describe('segmentCellpose checks the diameter before any work', () => {
  it.each([0.01, 0.5, 1e4, 1e5])('refuses diameter %s on a 256 × 200 image', async (diameter) => {
    const calls: number[] = [];
    const error = await segmentCellpose(plane(256, 200), { model: model(calls), diameter }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).describe()).toBe(
      `diameter ${diameter} px does not fit the 256 × 200 image (give a diameter from 1 to 256 px, or auto)`,
    );
    expect(calls).toEqual([]);
  });

  it('refuses a diameter that would resize the image past the network budget', async () => {
    const calls: number[] = [];
    const error = await segmentCellpose(plane(2048, 2048), { model: model(calls), diameter: 2 })
      .then(() => undefined)
      .catch((e: unknown) => e as InvalidArgumentError);
    expect(error?.message).toBe(
      'diameter 2 px scales the 2048 × 2048 image by 15 to 30720 × 30720 for the network, ' +
        'more than the 134 M pixel budget',
    );
    expect(calls).toEqual([]);
  });
});
