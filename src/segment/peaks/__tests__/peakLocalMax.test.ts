import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import type { Labels, Mask, Plane } from '../../../image/types.js';
import type { NpyArray } from '../../../io/npy.js';
import {
  argument,
  loadInput,
  loadOutput,
  scalarOutput,
  skimageCases,
  type SkimageCase,
  npyLabels as labelsOf,
  npyMask as maskOf,
  npyPlane as plane,
} from '../../../../test/skimage-fixtures.js';
import { countedCases, HAS_SHARED } from '../../../../test/shared.js';
import { peakLocalMax, peaksToMarkers, type PeakCoordinate } from '../peakLocalMax.js';

/** int64 (n, 2) coordinates as [row, col] pairs. */
const coordinatesOf = (a: NpyArray): PeakCoordinate[] => {
  const flat = Array.from(a.data as BigInt64Array, Number);
  return Array.from({ length: a.shape[0] }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);
};
/** Peaks as a set, for the cases where only the set is known in closed form. */
const asSet = (peaks: PeakCoordinate[]): string[] => peaks.map(([r, c]) => `${r},${c}`).sort();

function runCase(c: SkimageCase): PeakCoordinate[] {
  const threshold = (name: string) => argument<number | null>(c, name) ?? undefined;
  return peakLocalMax(plane(loadInput(c, 'image')), {
    minDistance: argument<number>(c, 'min_distance'),
    thresholdAbs: threshold('threshold_abs'),
    thresholdRel: threshold('threshold_rel'),
    excludeBorder: argument<boolean | number>(c, 'exclude_border'),
    footprint: c.inputs.footprint ? maskOf(loadInput(c, 'footprint')) : undefined,
    labels: c.inputs.labels ? labelsOf(loadInput(c, 'labels')) : undefined,
    numPeaks: argument<number>(c, 'num_peaks'),
    numPeaksPerLabel: argument<number>(c, 'num_peaks_per_label'),
    pNorm: argument<number>(c, 'p_norm'),
  });
}

describe.skipIf(!HAS_SHARED)('peakLocalMax against skimage 0.19.3 fixtures', () => {
  const cases = countedCases(
    skimageCases('watershed').filter((c) => c.function === 'skimage.feature.peak_local_max'),
    6,
    'peak_local_max',
  );

  for (const c of cases) {
    it(`${c.id} (tie_sensitive: ${String(c.tie_sensitive)})`, () => {
      const expected = coordinatesOf(loadOutput(c, 'coordinates'));
      const peaks = runCase(c);
      // the same peaks in the same order: ties follow NumPy 1.24's argsort, as in the reference
      expect(peaks).toEqual(expected);
      expect(asSet(peaks)).toEqual(asSet(expected));
      // values never increase within a label (labels come in ascending order)
      const image = plane(loadInput(c, 'image'));
      const labels = c.inputs.labels
        ? labelsOf(loadInput(c, 'labels'))
        : { ...image, data: new Uint32Array(image.data.length) };
      const at = ([r, col]: PeakCoordinate) => r * image.width + col;
      for (let i = 1; i < peaks.length; i++) {
        const [a, b] = [at(peaks[i - 1]), at(peaks[i])];
        if (labels.data[a] === labels.data[b]) {
          expect(image.data[b]).toBeLessThanOrEqual(image.data[a]);
        } else expect(labels.data[b]).toBeGreaterThan(labels.data[a]);
      }
    });
  }
});

describe.skipIf(!HAS_SHARED)('peaksToMarkers against scipy.ndimage.label fixtures', () => {
  const cases = countedCases(
    skimageCases('watershed').filter((c) => c.function === 'scipy.ndimage.label'),
    6,
    'scipy.ndimage.label',
  );

  for (const c of cases) {
    it(c.id, () => {
      const expected = loadOutput(c, 'markers');
      const [height, width] = expected.shape;
      const markers = peaksToMarkers(
        coordinatesOf(loadInput(c, 'peak_coordinates')),
        width,
        height,
      );
      expect(markers.data).toEqual(Uint32Array.from(expected.data as Int32Array));
      expect(Math.max(0, ...markers.data)).toBe(scalarOutput(c, 'num_features'));
    });
  }
});

/** A float64 plane from rows of numbers. */
function grid(rows: number[][]): Plane<Float64Array> {
  return { width: rows[0].length, height: rows.length, data: Float64Array.from(rows.flat()) };
}

describe('peakLocalMax in closed form', () => {
  const spike = (size: number, at: PeakCoordinate[], value = 1): Plane<Float64Array> => {
    const image = grid(Array.from({ length: size }, () => new Array<number>(size).fill(0)));
    for (const [r, c] of at) image.data[r * size + c] = value;
    return image;
  };

  it('finds a single maximum', () => {
    expect(peakLocalMax(spike(9, [[4, 5]]))).toEqual([[4, 5]]);
  });

  it('returns peaks by decreasing value', () => {
    const image = spike(12, [[3, 3]], 1);
    image.data[8 * 12 + 8] = 2;
    image.data[3 * 12 + 8] = 1.5;
    expect(peakLocalMax(image)).toEqual([
      [8, 8],
      [3, 8],
      [3, 3],
    ]);
  });

  it('keeps the higher of two peaks closer than minDistance (Chebyshev, strict)', () => {
    const image = spike(20, [[10, 10]], 2);
    image.data[10 * 20 + 13] = 1;
    expect(peakLocalMax(image, { minDistance: 1 })).toHaveLength(2);
    // 3 apart: a distance of 3 is not "< 3", so both stay
    expect(peakLocalMax(image, { minDistance: 3, footprint: ones(3) })).toHaveLength(2);
    expect(peakLocalMax(image, { minDistance: 4, footprint: ones(3) })).toEqual([[10, 10]]);
  });

  it('measures minDistance with the chosen p-norm', () => {
    const image = spike(20, [[10, 10]], 2);
    image.data[12 * 20 + 12] = 1; // (2, 2) away: Chebyshev 2, Euclidean 2.83, Manhattan 4
    const options = { minDistance: 3, footprint: ones(3) };
    expect(peakLocalMax(image, { ...options, pNorm: Infinity })).toHaveLength(1);
    expect(peakLocalMax(image, { ...options, pNorm: 2 })).toHaveLength(1);
    expect(peakLocalMax(image, { ...options, pNorm: 1 })).toHaveLength(2);
  });

  it('keeps fewer than 17 equal candidates in raster order (NumPy insertion-sorts them)', () => {
    const image = spike(20, [
      [10, 12],
      [10, 10],
      [12, 10],
    ]);
    expect(peakLocalMax(image, { minDistance: 3, footprint: ones(3) })).toEqual([[10, 10]]);
    expect(peakLocalMax(image, { footprint: ones(3) })).toEqual([
      [10, 10],
      [10, 12],
      [12, 10],
    ]);
  });

  it("orders 17 or more equal candidates as NumPy's argsort does, and suppresses in that order", () => {
    // 17 equal isolated peaks on row 1; argsort of 17 equal values takes them as
    // 0, 14, 13, …, 9, 15, 8, 6, 5, …, 1, 7, 16, so the 9th (col 72) comes before the 8th (col 70)
    const cols = Array.from({ length: 17 }, (_, k) => (k === 8 ? 72 : 10 * k));
    const plane: Plane<Float64Array> = { width: 170, height: 3, data: new Float64Array(510) };
    for (const c of cols) plane.data[170 + c] = 1;
    const options = { footprint: ones(3), excludeBorder: false };
    const numpyOrder = [0, 14, 13, 12, 11, 10, 9, 15, 8, 6, 5, 4, 3, 2, 1, 7, 16];
    const at = (ks: number[]) => ks.map((k): PeakCoordinate => [1, cols[k]]);
    // values from skimage 0.19.3 / NumPy 1.24.2
    expect(peakLocalMax(plane, options)).toEqual(at(numpyOrder));
    const spaced = at(numpyOrder.filter((k) => k !== 7));
    expect(peakLocalMax(plane, { ...options, minDistance: 3 })).toEqual(spaced);
    // per label: one label over everything behaves the same; split in two, each half has < 17
    const one: Labels = { width: 170, height: 3, data: new Uint32Array(510).fill(5) };
    expect(peakLocalMax(plane, { ...options, minDistance: 3, labels: one })).toEqual(spaced);
    const two: Labels = {
      width: 170,
      height: 3,
      data: Uint32Array.from({ length: 510 }, (_, i) => (i % 170 < 85 ? 1 : 2)),
    };
    expect(peakLocalMax(plane, { ...options, minDistance: 3, labels: two })).toEqual(
      at([0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16]),
    );
  });

  it('excludes the border by minDistance, a number or per axis', () => {
    const image = spike(10, [
      [1, 5],
      [5, 1],
      [5, 5],
    ]);
    expect(asSet(peakLocalMax(image, { minDistance: 1 }))).toEqual(['1,5', '5,1', '5,5']);
    expect(peakLocalMax(image, { minDistance: 2 })).toEqual([[5, 5]]);
    expect(peakLocalMax(image, { minDistance: 2, excludeBorder: false })).toHaveLength(3);
    expect(peakLocalMax(image, { excludeBorder: 2 })).toEqual([[5, 5]]);
    expect(peakLocalMax(image, { excludeBorder: [2, 0] })).toEqual([
      [5, 1],
      [5, 5],
    ]);
    expect(peakLocalMax(spike(3, [[0, 0]]), { excludeBorder: 0 })).toEqual([[0, 0]]);
  });

  it('applies the absolute and relative thresholds strictly', () => {
    const image = spike(12, [[3, 3]], 1);
    image.data[8 * 12 + 8] = 4;
    expect(peakLocalMax(image, { thresholdAbs: 1 })).toEqual([[8, 8]]);
    expect(peakLocalMax(image, { thresholdAbs: 0.5 })).toHaveLength(2);
    expect(peakLocalMax(image, { thresholdRel: 0.25 })).toEqual([[8, 8]]);
    expect(peakLocalMax(image, { thresholdRel: 0.2 })).toHaveLength(2);
    expect(peakLocalMax(image, { thresholdAbs: 2, thresholdRel: 0.2 })).toEqual([[8, 8]]);
  });

  it('stops at numPeaks, highest first', () => {
    const image = spike(12, [[3, 3]], 1);
    image.data[8 * 12 + 8] = 4;
    expect(peakLocalMax(image, { numPeaks: 1 })).toEqual([[8, 8]]);
    expect(peakLocalMax(image, { numPeaks: 0 })).toEqual([]);
  });

  it('finds nothing on a constant image or one of a single value above zero', () => {
    expect(peakLocalMax(grid([[3, 3, 3, 3, 3]]), { excludeBorder: false })).toEqual([]);
    expect(peakLocalMax(spike(6, []))).toEqual([]);
  });

  it('treats pixels beyond the edge as 0, so negative edge maxima are not peaks (scipy cval)', () => {
    const image = grid([
      [-1, -0.5, -1],
      [-1, -1, -1],
      [-1, -1, -1],
    ]);
    expect(peakLocalMax(image, { excludeBorder: false })).toEqual([]);
    image.data[1] = 0.5;
    expect(peakLocalMax(image, { excludeBorder: false })).toEqual([[0, 1]]);
  });

  it('uses the footprint as the neighbourhood', () => {
    const image = spike(9, [[4, 4]], 2);
    image.data[5 * 9 + 5] = 1;
    // the cross does not see the diagonal neighbour, so both are maxima
    expect(peakLocalMax(image, { footprint: cross(), excludeBorder: false })).toHaveLength(2);
    expect(peakLocalMax(image, { footprint: ones(3), excludeBorder: false })).toEqual([[4, 4]]);
  });

  it('searches each label on its own and keeps a peak per object', () => {
    const image = grid([
      [0, 0, 0, 0, 0, 0, 0],
      [0, 5, 4, 3, 2, 1, 0],
      [0, 4, 4, 3, 2, 1, 0],
      [0, 0, 0, 0, 0, 0, 0],
    ]);
    const labels: Labels = {
      width: 7,
      height: 4,
      data: Uint32Array.from([
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 0, 0, 1, 1, 1, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0,
      ]),
    };
    // without labels only the global maximum is a peak
    expect(peakLocalMax(image, { excludeBorder: false })).toEqual([[1, 1]]);
    // in label 2's box the column (1, 4), (2, 4) is highest: two equal peaks, raster order
    expect(peakLocalMax(image, { labels, excludeBorder: false })).toEqual([
      [1, 1],
      [1, 4],
      [2, 4],
    ]);
    expect(peakLocalMax(image, { labels, excludeBorder: false, numPeaksPerLabel: 1 })).toEqual([
      [1, 1],
      [1, 4],
    ]);
    expect(peakLocalMax(image, { labels, excludeBorder: false, numPeaks: 1 })).toEqual([[1, 1]]);
    expect(
      peakLocalMax(image, { labels: { width: 7, height: 4, data: new Uint32Array(28) } }),
    ).toEqual([]);
  });

  it('orders as NumPy negates in the image dtype: unsigned 0 comes first (skimage quirk)', () => {
    // argsort(-values) on uint8 wraps 0 to 0 and 9 to 247, so the zeros are taken before the 9
    // and one of them suppresses it; in float64 the 9 comes first
    const u8: Plane<Uint8Array> = { width: 9, height: 7, data: new Uint8Array(63) };
    u8.data[3 * 9 + 4] = 9;
    const options = { minDistance: 3, thresholdAbs: -1, excludeBorder: false, footprint: ones(3) };
    expect(peakLocalMax(u8, options)).not.toContainEqual([3, 4]);
    const f64 = { ...u8, data: Float64Array.from(u8.data) };
    expect(peakLocalMax(f64, options)[0]).toEqual([3, 4]);
  });

  it('compares a float32 image with the threshold in float32, as NumPy 1.x does', () => {
    const values = new Float32Array(9);
    values[4] = 0.1; // stored as 0.100000001490116…, above 0.1 in float64, equal in float32
    const f32: Plane<Float32Array> = { width: 3, height: 3, data: values };
    expect(peakLocalMax(f32, { thresholdAbs: 0.1 })).toEqual([]);
    const f64 = { ...f32, data: Float64Array.from(values) };
    expect(peakLocalMax(f64, { thresholdAbs: 0.1 })).toEqual([[1, 1]]);
  });

  it('handles degenerate images', () => {
    expect(peakLocalMax({ width: 0, height: 0, data: new Float64Array(0) })).toEqual([]);
    expect(peakLocalMax(grid([[1]]), { excludeBorder: false, thresholdAbs: 0 })).toEqual([[0, 0]]);
    expect(peakLocalMax(grid([[0, 2, 0, 1, 0]]), { excludeBorder: false })).toEqual([
      [0, 1],
      [0, 3],
    ]);
    const u8: Plane<Uint8Array> = {
      width: 3,
      height: 3,
      data: Uint8Array.of(0, 0, 0, 0, 9, 0, 0, 0, 0),
    };
    expect(peakLocalMax(u8)).toEqual([[1, 1]]);
  });

  it('refuses bad options', () => {
    const image = spike(5, [[2, 2]]);
    expect(() => peakLocalMax(image, { minDistance: -1 })).toThrow(InvalidArgumentError);
    expect(() => peakLocalMax(image, { minDistance: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => peakLocalMax(image, { excludeBorder: -1 })).toThrow(InvalidArgumentError);
    expect(() => peakLocalMax(image, { numPeaks: -2 })).toThrow(InvalidArgumentError);
    expect(() => peakLocalMax(image, { pNorm: 0.5 })).toThrow(InvalidArgumentError);
    const empty: Mask = { width: 3, height: 3, data: new Uint8Array(9) };
    expect(() => peakLocalMax(image, { footprint: empty })).toThrow(InvalidArgumentError);
    const labels: Labels = { width: 4, height: 5, data: new Uint32Array(20) };
    expect(() => peakLocalMax(image, { labels })).toThrow(InvalidArgumentError);
  });
});

describe('peaksToMarkers', () => {
  it('merges edge-touching peaks but not diagonal ones, numbering in raster order', () => {
    const markers = peaksToMarkers(
      [
        [2, 3],
        [0, 1],
        [0, 2],
        [1, 0],
        [2, 2],
      ],
      4,
      3,
    );
    expect(Array.from(markers.data)).toEqual([0, 1, 1, 0, 2, 0, 0, 0, 0, 0, 3, 3]);
  });

  it('gives an empty marker image for no peaks and refuses peaks outside', () => {
    expect(peaksToMarkers([], 3, 2).data).toEqual(new Uint32Array(6));
    expect(() => peaksToMarkers([[2, 0]], 3, 2)).toThrow(InvalidArgumentError);
  });
});

function ones(size: number): Mask {
  return { width: size, height: size, data: new Uint8Array(size * size).fill(1) };
}

function cross(): Mask {
  return { width: 3, height: 3, data: Uint8Array.of(0, 1, 0, 1, 1, 1, 0, 1, 0) };
}
