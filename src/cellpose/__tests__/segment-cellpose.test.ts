import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HAS_SHARED,
  readSharedBytes,
  readSharedJson,
  readSharedNpy,
} from '../../../test/shared.js';
import { matchLabels } from '../../evaluate/matching.js';
import { createStack } from '../../image/stack.js';
import type { Labels, Stack } from '../../image/types.js';
import { computeMasks } from '../dynamics/compute-masks.js';
import { createCellposeModel, type CellposeModel } from '../model.js';
import {
  estimateCellposeDiameter,
  segmentCellpose,
  type SegmentCellposeOptions,
} from '../segment-cellpose.js';
import { decodeSizeModel } from '../size-model.js';
import { decodeStateDict } from '../weights/state-dict.js';

const E2E = 'fixtures/cellpose/e2e';

interface E2eCase {
  kwargs: {
    diameter: number;
    augment?: boolean;
    resample?: boolean;
    cellprob_threshold?: number;
    flow_threshold?: number;
  };
  /** Absent where the case repeats d30's call (d30_plain). */
  channels?: [number, number];
  rescale?: number;
  masks: { file: string };
  dP?: { file: string; shape: number[] };
  cellprob?: { file: string };
}

const CASES = ['d30', 'd15', 'd45', 'd30_augment', 'd45_noresample', 'd30_cp-1_ft0.8', 'd30_plain'];

function labelsOf(file: string): Labels {
  const array = readSharedNpy(file);
  const [height, width] = array.shape;
  return { width, height, data: Uint32Array.from(array.data as Uint16Array) };
}

/** The (3, H, W) uint16 fixture image as a stack of three planes. */
function e2eImage(): Stack {
  const array = readSharedNpy(E2E, 'image_cyx.npy');
  const [channels, height, width] = array.shape;
  const data = array.data as Uint16Array;
  return createStack(
    Array.from({ length: channels }, (_, c) => ({
      width,
      height,
      data: data.slice(c * width * height, (c + 1) * width * height),
    })),
  );
}

describe.skipIf(!HAS_SHARED)('segmentCellpose against CellposeModel.eval (e2e fixtures)', () => {
  let model: CellposeModel;
  let manifest: Record<string, E2eCase>;
  beforeAll(async () => {
    manifest = readSharedJson<{ e2e: Record<string, E2eCase> }>(
      'fixtures/cellpose/manifest.json',
    ).e2e;
    const weights = decodeStateDict(readSharedBytes(E2E, 'cpnet_small_trained.pth'));
    const sizeModel = decodeSizeModel(readSharedBytes('fixtures/cellpose/size/size_params.npy'));
    model = await createCellposeModel(weights, {
      name: 'cpnet_small_trained',
      sizeModel,
      threads: 2,
    });
  });
  afterAll(() => model?.release());

  it("estimates the diameter without a size model from masks at the model's own diam_mean", async () => {
    const size = readSharedJson<{ size: { e2e_diam: number } }>(
      'fixtures/cellpose/manifest.json',
    ).size;
    const bare = { ...model, sizeModel: undefined };
    const estimate = await estimateCellposeDiameter(e2eImage(), { model: bare, channels: [2, 1] });
    expect(estimate.styleDiameter).toBe(model.diamMean);
    // The size model's answer is 25.28 px; masks at 30 px land close to it.
    expect(Math.abs(estimate.diameter / size.e2e_diam - 1)).toBeLessThan(0.15);
  });

  it("estimates the diameter as SizeModel.eval: style regression, then masks (diameter 'auto')", async () => {
    const size = readSharedJson<{ size: { e2e_diam_style: number; e2e_diam: number } }>(
      'fixtures/cellpose/manifest.json',
    ).size;
    const estimate = await estimateCellposeDiameter(e2eImage(), { model, channels: [2, 1] });
    expect(estimate.styleDiameter).toBeCloseTo(size.e2e_diam_style, 4);
    expect(estimate.twoStageDiameter).toBeCloseTo(size.e2e_diam, 10);
    // Cells of ordinary size: the large-object check leaves Cellpose's estimate as it is.
    expect(estimate.diameter).toBe(estimate.twoStageDiameter);
    const result = await segmentCellpose(e2eImage(), { model, channels: [2, 1], diameter: 'auto' });
    expect(result.diameter).toBe(estimate.diameter);
  });

  for (const name of CASES) {
    it(`${name}: same object count, matched IoU ≥ 0.99; stored flows give identical masks`, async () => {
      const c = manifest[name];
      const options: SegmentCellposeOptions = {
        model,
        channels: c.channels ?? [2, 1], // every case calls eval(image_cyx, channels=[2, 1])
        diameter: c.kwargs.diameter,
        augment: c.kwargs.augment,
        resample: c.kwargs.resample,
        cellprobThreshold: c.kwargs.cellprob_threshold,
        flowThreshold: c.kwargs.flow_threshold,
      };
      const result = await segmentCellpose(e2eImage(), options);
      const expected = labelsOf(`fixtures/cellpose/${c.masks.file}`);
      const count = Math.max(...expected.data);
      expect(Math.max(...result.masks.data)).toBe(count);
      const [scores] = matchLabels(result.masks, expected, { iouThresholds: [0.5] });
      expect(scores.tp).toBe(count);
      expect(scores.meanMatchedIoU).toBeGreaterThanOrEqual(0.99);
      expect(result.styles.length).toBe(64);

      if (c.dP && c.cellprob) {
        const dP = readSharedNpy(`fixtures/cellpose/${c.dP.file}`);
        const [, height, width] = dP.shape;
        const cellprob = readSharedNpy(`fixtures/cellpose/${c.cellprob.file}`);
        const masks = computeMasks(
          { width, height, data: dP.data as Float32Array },
          { width, height, data: cellprob.data as Float32Array },
          {
            niter: c.kwargs.resample === false ? 200 : Math.trunc((1 / (c.rescale ?? 1)) * 200),
            cellprobThreshold: c.kwargs.cellprob_threshold,
            flowThreshold: c.kwargs.flow_threshold,
            resize: c.kwargs.resample === false ? [expected.height, expected.width] : undefined,
          },
        );
        expect(masks.data).toEqual(expected.data);
      }
    });
  }
});
