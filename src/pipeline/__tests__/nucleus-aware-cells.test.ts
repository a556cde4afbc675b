import { describe, expect, it } from 'vitest';
import { masksToFlows } from '../../cellpose/dynamics/masks-to-flows.js';
import type { Labels } from '../../image/types.js';
import { grid } from '../../relate/__tests__/grid.js';
import { nucleusAwareCells, type NucleusAwareMode } from '../nucleus-aware-cells.js';

/** A Cellpose result for these masks: 5 × unit flows, logit +6 inside and −6 outside. */
function cellposeFor(masks: Labels) {
  const { width, height } = masks;
  const n = width * height;
  const flows = masksToFlows(masks).flows.data;
  const plane = (data: Float32Array) => ({ width, height, data });
  return {
    masks,
    flows: {
      dY: plane(Float32Array.from(flows.subarray(0, n), (v) => 5 * v)),
      dX: plane(Float32Array.from(flows.subarray(n), (v) => 5 * v)),
      cellprob: plane(Float32Array.from(masks.data, (v) => (v ? 6 : -6))),
    },
  };
}

// Mask 2 is a nucleus-free lobe of mask 1 (it shares 3 of its 10 outline sides with it); mask 4
// holds no nucleus and touches nothing.
const MASKS = grid(['111122...33..44', '111122...33..44', '111122...33..44'], {
  1: 1,
  2: 2,
  3: 3,
  4: 4,
});
const NUCLEI = grid(['...............', '.aa......b.....', '...............'], { a: 7, b: 8 });

function run(mode: NucleusAwareMode, dropCellsWithoutNucleus = false) {
  return nucleusAwareCells(NUCLEI, cellposeFor(MASKS), {
    mode,
    cellprobThreshold: 0,
    dropCellsWithoutNucleus,
  });
}

describe('nucleusAwareCells', () => {
  it('off keeps the masks as the network drew them', () => {
    expect(run('off')).toEqual({ cellLabels: MASKS, summary: '' });
    // Every cell has a nucleus: the lobe and mask 4 go, the rest are numbered 1..N.
    expect(run('off', true).cellLabels).toEqual(
      grid(['1111.....22....', '1111.....22....', '1111.....22....'], { 1: 1, 2: 2 }),
    );
  });

  it('merge-fragments joins the lobe to its cell and numbers the cells 1..N', () => {
    const result = run('merge-fragments');
    expect(result.cellLabels).toEqual(
      grid(['111111...22..33', '111111...22..33', '111111...22..33'], { 1: 1, 2: 2, 3: 3 }),
    );
    expect(result.summary).toBe('1 nucleus-free fragments merged, 1 cells without a nucleus kept');
    expect(run('merge-fragments', true).cellLabels).toEqual(
      grid(['111111...22....', '111111...22....', '111111...22....'], { 1: 1, 2: 2 }),
    );
  });

  it('hybrid grows each nucleus into its cell, keeping its label', () => {
    const result = run('hybrid');
    expect(result.cellLabels).toEqual(
      grid(['aaaaaa...bb..cc', 'aaaaaa...bb..cc', 'aaaaaa...bb..cc'], { a: 7, b: 8, c: 9 }),
    );
    expect(run('hybrid', true).cellLabels).toEqual(
      grid(['aaaaaa...bb....', 'aaaaaa...bb....', 'aaaaaa...bb....'], { a: 7, b: 8 }),
    );
  });
});
