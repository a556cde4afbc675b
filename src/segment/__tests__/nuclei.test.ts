import { describe, expect, it } from 'vitest';
import { HAS_SHARED, readSharedBytes } from '../../../test/shared.js';
import { matchLabels } from '../../evaluate/matching.js';
import type { Labels, Plane } from '../../image/types.js';
import { decodeTiffArray, tiffArrayToStack } from '../../io/tiff/read.js';
import { syntheticCells } from '../../synth/cells.js';
import { estimateDiameter, segmentNucleiClassical } from '../nuclei.js';

function readLabelsTiff(path: string): Labels {
  const array = decodeTiffArray(readSharedBytes(path));
  return { width: array.shape[1], height: array.shape[0], data: Uint32Array.from(array.data) };
}

describe.skipIf(!HAS_SHARED)(
  'segmentNucleiClassical on dsb2018-nuclei-256 (65 manual nuclei)',
  () => {
    const image = HAS_SHARED
      ? tiffArrayToStack(decodeTiffArray(readSharedBytes('data/dsb2018-nuclei-256/image.tif')))
          .planes[0]
      : undefined;
    const truth = HAS_SHARED ? readLabelsTiff('data/dsb2018-nuclei-256/labels.tif') : undefined;

    it('reaches F1 ≥ 0.80 at IoU 0.5 with its defaults, given the typical diameter', () => {
      // The diameter a user would measure: the median equivalent diameter of the nuclei.
      const diameterPx = estimateDiameter(truth!);
      expect(diameterPx).toBeGreaterThan(8);
      const result = segmentNucleiClassical(image!, { diameterPx });
      const [at50, at75] = matchLabels(result.labels, truth!, { iouThresholds: [0.5, 0.75] });
      console.info(
        `dsb2018: ${result.count} nuclei found for 65 true; F1@0.5 ${at50.f1.toFixed(3)}, F1@0.75 ${at75.f1.toFixed(3)}, mean matched IoU ${at50.meanMatchedIoU.toFixed(3)}`,
      );
      expect(at50.f1).toBeGreaterThanOrEqual(0.8);
      expect(at50.meanMatchedIoU).toBeGreaterThan(0.75);
    });

    it('estimates a diameter itself when none is given and still splits touching nuclei', () => {
      const result = segmentNucleiClassical(image!);
      expect(result.diameterPx).toBeGreaterThan(6);
      expect(matchLabels(result.labels, truth!)[0].f1).toBeGreaterThanOrEqual(0.8);
      const unsplit = segmentNucleiClassical(image!, { split: false });
      expect(unsplit.count).toBeLessThan(result.count);
    });
  },
);

describe('segmentNucleiClassical', () => {
  it('finds the nuclei of a synthetic image, each within its true nucleus', () => {
    const { stack, nucleusLabels } = syntheticCells({
      width: 200,
      height: 160,
      cells: 12,
      seed: 4,
    });
    const result = segmentNucleiClassical(stack.planes[0], { diameterPx: 18 });
    const [scores] = matchLabels(result.labels, nucleusLabels, { iouThresholds: [0.5] });
    expect(scores.nTrue).toBeGreaterThan(5);
    expect(scores.f1).toBeGreaterThanOrEqual(0.9);
  });

  it('gives no objects for empty and constant images, one for all-foreground or a lone square', () => {
    const plane = (fill: (i: number) => number): Plane => ({
      width: 40,
      height: 30,
      data: Float32Array.from({ length: 1200 }, (_, i) => fill(i)),
    });
    expect(segmentNucleiClassical(plane(() => 0)).count).toBe(0);
    expect(segmentNucleiClassical(plane(() => 7)).count).toBe(0);
    expect(segmentNucleiClassical(plane(() => NaN)).count).toBe(0);
    const everything = segmentNucleiClassical(
      plane(() => 7),
      { threshold: 1 },
    );
    expect(everything.count).toBe(1);
    expect(everything.labels.data.every((v) => v === 1)).toBe(true);
    const square = segmentNucleiClassical(
      plane((i) =>
        Math.abs((i % 40) - 20) < 6 && Math.abs(Math.floor(i / 40) - 15) < 6 ? 100 : 0,
      ),
      { diameterPx: 11 },
    );
    expect(square.count).toBe(1);
    expect(square.labels.data.reduce((n, v) => n + (v === 1 ? 1 : 0), 0)).toBe(121);
  });

  it('refuses a non-positive diameter', () => {
    const plane: Plane = { width: 2, height: 2, data: new Uint8Array(4) };
    expect(() => segmentNucleiClassical(plane, { diameterPx: 0 })).toThrow(
      /^diameter 0 px does not fit the 2 × 2 image$/,
    );
  });
});

describe('estimateDiameter', () => {
  it('is the median equivalent diameter, ignoring specks under 9 px unless nothing else is there', () => {
    const width = 40;
    const data = new Uint32Array(width * 20);
    // Three 8 × 8 squares (area 64) and five single-pixel specks.
    for (const [k, x0] of [10, 20, 30].entries()) {
      for (let y = 2; y < 10; y++) data.fill(k + 1, y * width + x0, y * width + x0 + 8);
    }
    for (let k = 0; k < 5; k++) data[15 * width + 2 * k] = 10 + k;
    expect(estimateDiameter({ width, height: 20, data })).toBeCloseTo(
      2 * Math.sqrt(64 / Math.PI),
      12,
    );
    const specks = new Uint32Array(width * 20);
    specks[0] = 1;
    specks[5] = 2;
    expect(estimateDiameter({ width, height: 20, data: specks })).toBeCloseTo(
      2 / Math.sqrt(Math.PI),
      12,
    );
  });
});
