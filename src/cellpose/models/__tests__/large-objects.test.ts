import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_SHARED, sharedPath } from '../../../../test/shared.js';
import { readImage } from '../../../io/read-image.js';
import { segmentNucleiClassical } from '../../../segment/nuclei.js';
import { trainingSample } from '../../../synth/training-sample.js';
import type { CellposeModel } from '../../cellpose-model.js';
import { loadCellposeModel } from '../../model.js';
import {
  estimateCellposeDiameter,
  medianEquivalentDiameter,
  segmentCellpose,
} from '../../segment-cellpose.js';
import { resizeLinear } from '../../transforms/resize.js';

describe.skipIf(!HAS_SHARED)(
  "diameter: 'auto' on objects far larger than the size model knows",
  () => {
    let model: CellposeModel;
    beforeAll(async () => {
      model = await loadCellposeModel('cellscope-nuclei', { threads: 2 });
    });
    afterAll(() => model?.release());

    it('NEUBIAS nuclear-pore image: two nuclei of ~160 and ~230 px, 10× diam_mean', async () => {
      // Channel 2 is the DNA stain; its two nuclei are bright and isolated, so Otsu outlines them
      // (holes filled, no splitting, specks under 500 px dropped).
      const stack = await readImage(sharedPath('data', 'neubias', 'xyc_16bit__nup_nuclei.tif'));
      const truth = segmentNucleiClassical(stack.planes[1], {
        threshold: 'otsu',
        split: false,
        minAreaPx: 500,
      }).labels;
      const trueDiameter = medianEquivalentDiameter(truth);
      expect(trueDiameter).toBeGreaterThan(190);
      expect(trueDiameter).toBeLessThan(205);

      const estimate = await estimateCellposeDiameter(stack, { model, channels: [2, 0] });
      // Cellpose's two stages return network-sized fragments; the check follows them up.
      expect(estimate.twoStageDiameter).toBeLessThan(0.25 * trueDiameter);
      expect(Math.abs(estimate.diameter / trueDiameter - 1)).toBeLessThan(0.1);
      const cellpose = await estimateCellposeDiameter(stack, {
        model,
        channels: [2, 0],
        largeObjectCheck: false,
      });
      expect(cellpose.diameter).toBe(estimate.twoStageDiameter);
      expect(cellpose.largeObjectRuns).toEqual([]);
      // Lost at twice the guess, found whole at four times it, far above that look's scale.
      const fourTimes = estimate.largeObjectRuns[1];
      expect(fourTimes.diameter).toBe(4 * estimate.twoStageDiameter);
      expect(fourTimes.measured).toBeGreaterThan(8 * estimate.twoStageDiameter);

      const reports: { stage: string; done: number; total: number }[] = [];
      const {
        masks,
        diameter,
        estimate: reported,
      } = await segmentCellpose(stack, {
        model,
        channels: [2, 0],
        diameter: 'auto',
        onProgress: (done, total, stage) => reports.push({ stage, done, total }),
      });
      // Progress names each network run's stage; following the object takes several check runs.
      const order = reports.map((r) => r.stage).filter((s, i, all) => s !== all[i - 1]);
      expect(order).toEqual(['style', 'size', 'large-objects', 'masks']);
      const checkRuns = reports.filter((r) => r.stage === 'large-objects' && r.done === r.total);
      expect(checkRuns.length).toBeGreaterThanOrEqual(3);
      expect(diameter).toBe(estimate.diameter);
      expect(reported).toEqual(estimate);
      expect(new Set(masks.data).size - 1).toBe(2);
      expect(Math.abs(medianEquivalentDiameter(masks) / trueDiameter - 1)).toBeLessThan(0.1);
    });

    it('NEUBIAS cytoplasm + nuclei ×3: debris from the two stages, the check starts at the style', async () => {
      const cells = await loadCellposeModel('cellscope-cells', { threads: 2 });
      try {
        const stack = await readImage(sharedPath('data', 'neubias', 'xyc_8bit__cyto_nuclei.tif'));
        const atOne = await estimateCellposeDiameter(stack, { model: cells, channels: [1, 2] });
        // Cells of about 70 px; ×3 they are some 210 px, far beyond the size model's range.
        expect(atOne.diameter).toBeGreaterThan(55);
        expect(atOne.diameter).toBeLessThan(85);
        const planes = stack.planes.map((plane) => {
          const { width, height } = plane;
          return resizeLinear(
            { width, height, data: Float32Array.from(plane.data) },
            { width: 3 * width, height: 3 * height },
          );
        });
        const estimate = await estimateCellposeDiameter(
          { ...stack, planes },
          { model: cells, channels: [1, 2] },
        );
        // The two stages return specks far below the style's guess: the check starts from that
        // guess, not from the specks, and follows the cells up to their size at ×1.
        expect(estimate.twoStageDiameter).toBeLessThan(0.4 * estimate.styleDiameter);
        expect(Math.abs(estimate.diameter / (3 * atOne.diameter) - 1)).toBeLessThan(0.1);
      } finally {
        await cells.release();
      }
    });
  },
);

describe("diameter: 'auto' keeps a right guess", () => {
  it('generated cells resized ×1.3: blobs at 4× the guess do not move it', async () => {
    // Size-test image 25 (training/auto-diameter.ts --scale-range 1): at 4× the guess its cells
    // join into blobs of about that scale (126 px for 135), which the check once took (88 px).
    const { stack, labels } = trainingSample({ seed: 4_000_025, target: 'cells', recipe: 2 });
    const size = { width: 332, height: 332 };
    const planes = stack.planes.map((plane) =>
      resizeLinear({ ...plane, data: Float32Array.from(plane.data) }, size),
    );
    const truth = (medianEquivalentDiameter(labels) * 332) / 256;
    expect(truth).toBeGreaterThan(35);
    expect(truth).toBeLessThan(39);
    const cells = await loadCellposeModel('cellscope-cells', { threads: 2 });
    try {
      const estimate = await estimateCellposeDiameter(
        { ...stack, planes },
        { model: cells, channels: [1, 2] },
      );
      expect(Math.abs(estimate.twoStageDiameter / truth - 1)).toBeLessThan(0.1);
      expect(estimate.diameter).toBe(estimate.twoStageDiameter);
      // The look at 2x keeps the cells' size; the look at 4x measures blobs below its scale.
      const [twice, fourTimes, ...more] = estimate.largeObjectRuns;
      expect(twice.diameter).toBe(2 * estimate.twoStageDiameter);
      expect(Math.abs(twice.measured / estimate.twoStageDiameter - 1)).toBeLessThan(0.1);
      expect(fourTimes.diameter).toBe(4 * estimate.twoStageDiameter);
      expect(fourTimes.measured).toBeGreaterThan(3.4 * estimate.twoStageDiameter);
      expect(fourTimes.measured).toBeLessThan(4 * estimate.twoStageDiameter);
      expect(more).toEqual([]);
    } finally {
      await cells.release();
    }
  });
});
