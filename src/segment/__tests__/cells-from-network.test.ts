import { describe, expect, it } from 'vitest';
import { masksToFlows } from '../../cellpose/dynamics/masks-to-flows.js';
import { InvalidArgumentError } from '../../errors.js';
import type { Labels, Plane } from '../../image/types.js';
import { grid } from '../../relate/__tests__/grid.js';
import { cellsFromNucleiAndNetwork, flowDivergence } from '../cells-from-network.js';

const LABELS = { a: 1, b: 2, c: 3, f: 4 };

function plane(width: number, height: number, value: (y: number, x: number) => number) {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data[y * width + x] = value(y, x);
  return { width, height, data };
}

/** What a Cellpose network gives for these masks: 5 × unit flows, logit +6 inside, −6 outside. */
function networkFor(masks: Labels) {
  const { width, height } = masks;
  const n = width * height;
  const flows = masksToFlows(masks).flows.data;
  const of = (offset: number): Plane<Float32Array> =>
    plane(width, height, (y, x) => 5 * flows[offset + y * width + x]);
  return {
    dY: of(0),
    dX: of(n),
    cellprob: plane(width, height, (y, x) => (masks.data[y * width + x] ? 6 : -6)),
    masks,
  };
}

describe('flowDivergence', () => {
  it('is ∂dX/∂x + ∂dY/∂y by central differences, one-sided at the edges', () => {
    // dX = 3x gives 3 everywhere; dY = y² gives 2y inside, 1 and 2·4 − 3 = 5 at the edges.
    const div = flowDivergence(
      plane(2, 4, (y) => y * y),
      plane(2, 4, (_, x) => 3 * x),
    );
    expect(Array.from(div)).toEqual([4, 4, 5, 5, 7, 7, 8, 8]);
  });
});

describe('cellsFromNucleiAndNetwork', () => {
  it('on the cell probability, floods each nucleus up to where the other reaches first', () => {
    // Row: logits 5 4 3 2 1 4 5 between background; nucleus 1 at x = 1, nucleus 2 at x = 7.
    // Nucleus 2 reaches x = 6 (−4) before nucleus 1 reaches x = 4 (−2), so x = 5 is its.
    const cellprob = plane(9, 1, (_, x) => [-1, 5, 4, 3, 2, 1, 4, 5, -1][x]);
    const nuclei = grid(['.a.....b.'], LABELS);
    const result = cellsFromNucleiAndNetwork(nuclei, { cellprob }, { landscape: 'cellprob' });
    expect(result.labels).toEqual(grid(['.aaaabbb.'], LABELS));
    expect(result.cellsWithoutNucleus).toBe(0);
    // A higher threshold leaves the logit-1 pixel out: the cells no longer touch.
    const higher = cellsFromNucleiAndNetwork(
      nuclei,
      { cellprob },
      { landscape: 'cellprob', cellprobThreshold: 1 },
    );
    expect(higher.labels).toEqual(grid(['.aaaa.bb.'], LABELS));
  });

  it('gives a nucleus-free lobe the network cut off back to its cell, along the flow borders', () => {
    // The network cut cell a into a nucleus piece and lobe f; b is a neighbour apart by a gap.
    const masks = grid(
      ['aaaaaffff..bbbb', 'aaaaaffff..bbbb', 'aaaaaffff..bbbb', 'aaaaaffff..bbbb'],
      LABELS,
    );
    const nuclei = grid(
      ['...............', '.aa.........bb.', '.aa.........bb.', '...............'],
      { a: 1, b: 2 },
    );
    const result = cellsFromNucleiAndNetwork(nuclei, networkFor(masks));
    expect(result.labels).toEqual(
      grid(['aaaaaaaaa..bbbb', 'aaaaaaaaa..bbbb', 'aaaaaaaaa..bbbb', 'aaaaaaaaa..bbbb'], LABELS),
    );
  });

  it('splits a mask holding two nuclei at the ridge of the flows of the two cells', () => {
    // The network merged two cells (mask 1) but its flows still part between columns 3 and 4.
    const cells = grid(['aaaabbbb', 'aaaabbbb', 'aaaabbbb'], LABELS);
    const network = {
      ...networkFor(cells),
      masks: grid(['aaaaaaaa', 'aaaaaaaa', 'aaaaaaaa'], LABELS),
    };
    const nuclei = grid(['........', '.a....b.', '........'], LABELS);
    expect(cellsFromNucleiAndNetwork(nuclei, network).labels).toEqual(cells);
  });

  it('keeps masks no nucleus reaches as cells after the nuclei, or drops them', () => {
    const masks = grid(['aa..cc..ff', 'aa..cc..ff'], LABELS);
    const nuclei = grid(['a.........', '..........'], { a: 5 });
    const network = networkFor(masks);
    const kept = cellsFromNucleiAndNetwork(nuclei, network);
    expect(kept.labels).toEqual(grid(['aa..cc..ff', 'aa..cc..ff'], { a: 5, c: 6, f: 7 }));
    expect(kept.cellsWithoutNucleus).toBe(2);
    const dropped = cellsFromNucleiAndNetwork(nuclei, network, { dropCellsWithoutNucleus: true });
    expect(dropped.labels).toEqual(grid(['aa........', 'aa........'], { a: 5 }));
    expect(dropped.cellsWithoutNucleus).toBe(0);
  });

  it('gives a nucleus outside the foreground a cell of its own pixels', () => {
    const masks = grid(['aa....', 'aa....'], LABELS);
    const nuclei = grid(['a...b.', '....b.'], LABELS);
    expect(cellsFromNucleiAndNetwork(nuclei, networkFor(masks)).labels).toEqual(
      grid(['aa..b.', 'aa..b.'], LABELS),
    );
  });

  it('refuses a network output of another size, and landscape flows without flows', () => {
    const nuclei = grid(['a.', '..'], LABELS);
    const cellprob = plane(3, 2, () => 1);
    expect(() =>
      cellsFromNucleiAndNetwork(nuclei, { cellprob }, { landscape: 'cellprob' }),
    ).toThrow(InvalidArgumentError);
    expect(() => cellsFromNucleiAndNetwork(nuclei, { cellprob: plane(2, 2, () => 1) })).toThrow(
      /needs the network's dY and dX/,
    );
  });
});
