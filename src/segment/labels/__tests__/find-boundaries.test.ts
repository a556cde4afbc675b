import { describe, expect, it } from 'vitest';
import {
  argument,
  loadInput,
  loadOutput,
  skimageCases,
  type SkimageCase,
  npyLabels,
} from '../../../../test/skimage-fixtures.js';
import { countedCases, HAS_SHARED } from '../../../../test/shared.js';
import { InvalidArgumentError } from '../../../errors.js';
import type { Labels } from '../../../image/types.js';
import { findBoundaries, type BoundaryMode } from '../find-boundaries.js';

const boundaryCases = countedCases(
  skimageCases('labels').filter((c) => c.function === 'skimage.segmentation.find_boundaries'),
  14,
  'find_boundaries',
);

function fixtureLabels(c: SkimageCase): Labels {
  return npyLabels(loadInput(c, 'label_img'));
}

function differingPixels(a: ArrayLike<number>, b: ArrayLike<number>, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) out.push(`(${Math.floor(i / width)}, ${i % width}): ${a[i]} vs ${b[i]}`);
  }
  return out;
}

describe.skipIf(!HAS_SHARED)('findBoundaries against skimage.segmentation.find_boundaries', () => {
  // thick / inner / outer × connectivity 1, 2 and subpixel on both scenes.
  for (const c of boundaryCases) {
    it(c.id, () => {
      const labels = fixtureLabels(c);
      const expected = loadOutput(c, 'result');
      const result = findBoundaries(labels, {
        mode: argument<BoundaryMode>(c, 'mode'),
        connectivity: argument<1 | 2>(c, 'connectivity'),
        background: argument<number>(c, 'background'),
      });
      expect([result.height, result.width]).toEqual(expected.shape);
      expect(differingPixels(result.data, expected.data as Uint8Array, result.width)).toEqual([]);
    });
  }
});

/** Rows of digits → a label image. */
function labelsFrom(rows: string[]): Labels {
  const width = rows[0].length;
  const data = Uint32Array.from(rows.join('').split(''), Number);
  return { width, height: rows.length, data };
}

function rowsOf(mask: { width: number; data: Uint8Array }): string[] {
  const rows: string[] = [];
  for (let i = 0; i < mask.data.length; i += mask.width) {
    rows.push([...mask.data.subarray(i, i + mask.width)].join(''));
  }
  return rows;
}

describe('findBoundaries', () => {
  // A 2 × 2 object (1) touching a 1 × 2 object (2) on the right, in background 0.
  const scene = labelsFrom(['00000', '01120', '01120', '00000']);

  it('thick: every pixel with a differing 4-neighbour', () => {
    expect(rowsOf(findBoundaries(scene))).toEqual(['01110', '11111', '11111', '01110']);
  });

  it('thick with connectivity 2 also looks across corners', () => {
    expect(rowsOf(findBoundaries(scene, { connectivity: 2 }))).toEqual([
      '11111',
      '11111',
      '11111',
      '11111',
    ]);
  });

  it('inner: only object pixels', () => {
    expect(rowsOf(findBoundaries(scene, { mode: 'inner' }))).toEqual([
      '00000',
      '01110',
      '01110',
      '00000',
    ]);
  });

  it('outer: background pixels, and object pixels touching another object', () => {
    // Column 2 (label 1) touches label 2; column 1 only touches background. (scikit-image gives
    // this for int32 / uint32 labels; an int64 array overflows SciPy's erosion and marks all.)
    expect(rowsOf(findBoundaries(scene, { mode: 'outer' }))).toEqual([
      '01110',
      '10111',
      '10111',
      '01110',
    ]);
  });

  it('subpixel: marks the positions between differing pixels', () => {
    const two = labelsFrom(['12', '11']);
    expect(rowsOf(findBoundaries(two, { mode: 'subpixel' }))).toEqual(['010', '011', '000']);
  });

  it('handles empty and 1 × 1 images', () => {
    const empty: Labels = { width: 0, height: 0, data: new Uint32Array(0) };
    expect(findBoundaries(empty).data.length).toBe(0);
    expect(findBoundaries(empty, { mode: 'subpixel' })).toMatchObject({ width: 0, height: 0 });
    const one: Labels = { width: 1, height: 1, data: Uint32Array.of(3) };
    for (const mode of ['thick', 'inner', 'outer', 'subpixel'] as const) {
      expect([...findBoundaries(one, { mode }).data]).toEqual([0]);
    }
  });

  it('rejects an unknown mode or connectivity', () => {
    expect(() => findBoundaries(scene, { mode: 'outline' as BoundaryMode })).toThrow(
      InvalidArgumentError,
    );
    expect(() => findBoundaries(scene, { connectivity: 3 as 1 })).toThrow(InvalidArgumentError);
  });
});
