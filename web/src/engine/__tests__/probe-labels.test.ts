import { describe, expect, it } from 'vitest';
import {
  createLabels,
  createPlane,
  createStack,
  encodeLabelsTiff,
  encodeTiff,
} from '../../../../src/browser.js';
import { flatFraction, probeLabels } from '../probe-labels.js';

/** 8×6 labels: object 1 fills columns 0–3 of rows 1–4, object 2 columns 5–7 of rows 2–3. */
function labels() {
  const data = new Uint32Array(48);
  for (let y = 1; y <= 4; y++) for (let x = 0; x <= 3; x++) data[y * 8 + x] = 1;
  for (let y = 2; y <= 3; y++) for (let x = 5; x <= 7; x++) data[y * 8 + x] = 2;
  return createLabels(8, 6, data);
}

describe('flatFraction', () => {
  it('counts non-zero pixels equal to their right neighbour, rows not wrapping', () => {
    // Object 1: 4 rows × 3 of 4 pixels match; object 2: 2 rows × 2 of 3 (the last has no neighbour).
    expect(flatFraction(labels().data, 8)).toBeCloseTo((4 * 3 + 2 * 2) / (4 * 4 + 2 * 2), 12);
    expect(flatFraction(new Uint16Array([5, 6, 7, 8]), 4)).toBe(0);
    expect(flatFraction(new Uint8Array(9), 3)).toBe(1);
  });
});

describe('probeLabels', () => {
  it('reads a saved label TIFF as one integer channel of its size', () => {
    const probe = probeLabels(encodeLabelsTiff(labels()), 48);
    expect(probe).toEqual({
      width: 8,
      height: 6,
      channels: 1,
      integer: true,
      flatFraction: 16 / 20,
    });
  });

  it('says float for a float image and refuses files larger than the image, and non-TIFFs', () => {
    const plane = createPlane(8, 6, new Float32Array(48).fill(0.5));
    expect(probeLabels(encodeTiff(createStack([plane])), 48)?.integer).toBe(false);
    const three = createStack([0, 1, 2].map(() => createPlane(8, 6, new Uint16Array(48))));
    expect(probeLabels(encodeTiff(three), 48)).toBeNull();
    expect(probeLabels(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), 48)).toBeNull();
  });
});
