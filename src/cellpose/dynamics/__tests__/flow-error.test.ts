import { describe, expect, it } from 'vitest';
import { HAS_SHARED } from '../../../../test/shared.js';
import { InvalidArgumentError } from '../../../errors.js';
import type { Labels } from '../../../image/types.js';
import { flowErrors, removeBadFlowMasks } from '../flow-error.js';
import { masksToFlows } from '../masks-to-flows.js';
import type { FlowField } from '../types.js';
import { cases, labelsOf, manifest, masksInputs, npy, type MasksCase } from './fixtures.js';

describe.skipIf(!HAS_SHARED)('flowErrors against Cellpose 3.1.1.3 fixtures', () => {
  const m = manifest();
  for (const [name, c] of cases<MasksCase>(m.masks)) {
    it(`${name}: flow error of every raw mask within 1e-6 relative`, () => {
      const { dP } = masksInputs(m, name);
      const errors = flowErrors(labelsOf(npy(c.masks_raw)), dP);
      expect(errors.length).toBe(c.flow_errors.length);
      c.flow_errors.forEach((expected, i) => {
        expect(Math.abs(errors[i] - expected)).toBeLessThanOrEqual(1e-6 * expected + 1e-14);
      });
    });
  }
});

/** Two 5 × 5 squares side by side; `dP` = 5 × their own flows, with square 2's flows turned. */
function twoSquares(turnSecond: boolean): { masks: Labels; dP: FlowField } {
  const width = 14;
  const height = 7;
  const data = new Uint32Array(width * height);
  for (let y = 1; y < 6; y++) {
    for (let x = 1; x < 6; x++) data[y * width + x] = 1;
    for (let x = 8; x < 13; x++) data[y * width + x] = 2;
  }
  const masks = { width, height, data };
  const mu = masksToFlows(masks).flows.data;
  const n = width * height;
  const dP = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const turn = turnSecond && data[i] === 2;
    // A 90° turn: (dY, dX) → (dX, −dY).
    dP[i] = 5 * (turn ? mu[n + i] : mu[i]);
    dP[n + i] = 5 * (turn ? -mu[i] : mu[n + i]);
  }
  return { masks, dP: { width, height, data: dP } };
}

describe('flowErrors and removeBadFlowMasks in closed form', () => {
  it('is about 0 for a mask’s own flows and 2 for flows turned by 90°', () => {
    const { masks, dP } = twoSquares(true);
    const errors = flowErrors(masks, dP);
    expect(errors[0]).toBeLessThan(1e-12);
    // |u − R u|² = 2 for every unit vector u (float32 rounding of dP aside).
    expect(errors[1]).toBeCloseTo(2, 6);
  });

  it('removes masks above the threshold without renumbering the rest', () => {
    const { masks, dP } = twoSquares(true);
    const swapped = { ...masks, data: masks.data.map((v) => (v === 0 ? 0 : 3 - v)) };
    const kept = removeBadFlowMasks(swapped, dP, 0.4);
    expect(Array.from(new Set(kept.data)).sort()).toEqual([0, 2]);
    expect(swapped.data.some((v) => v === 1)).toBe(true);
  });

  it('gives NaN for absent labels and an empty array without labels', () => {
    const { masks, dP } = twoSquares(false);
    const gappy = { ...masks, data: masks.data.map((v) => (v === 2 ? 3 : v)) };
    const errors = flowErrors(gappy, dP);
    expect(errors.length).toBe(3);
    expect(Number.isNaN(errors[1])).toBe(true);
    expect(flowErrors({ ...masks, data: new Uint32Array(masks.data.length) }, dP).length).toBe(0);
  });

  it('validates sizes', () => {
    const { masks, dP } = twoSquares(false);
    expect(() => flowErrors({ ...masks, width: 7, height: 14 }, dP)).toThrow(InvalidArgumentError);
    expect(() => removeBadFlowMasks(masks, dP, NaN)).toThrow(InvalidArgumentError);
  });
});
