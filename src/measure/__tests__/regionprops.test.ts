import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { createStack } from '../../image/stack.js';
import type { Labels, Plane } from '../../image/types.js';
import { knownProperties, registerShapeProperty } from '../properties.js';
import { regionprops } from '../regionprops.js';
import type { Table } from '../../table/table.js';

// ---------------------------------------------------------------------------------------------
// Closed forms

/** `height × width` image of 0 with each `[label, row0, col0, rows, cols]` rectangle painted. */
function rectangles(height: number, width: number, boxes: number[][]): Labels {
  const data = new Uint32Array(height * width);
  for (const [label, r0, c0, rows, cols] of boxes) {
    for (let r = r0; r < r0 + rows; r++) data.fill(label, r * width + c0, r * width + c0 + cols);
  }
  return { width, height, data };
}

function row(table: Table, index = 0): Record<string, number> {
  return Object.fromEntries(
    Object.entries(table.columns).map(([name, column]) => [name, Number(column[index])]),
  );
}

/** Σ (k − mean)² over k = 0…n−1: n(n² − 1)/12. */
const spread = (n: number): number => (n * (n * n - 1)) / 12;

describe('regionprops on closed-form shapes', () => {
  const GEOMETRY = [
    'label',
    'area',
    'area_bbox',
    'bbox',
    'extent',
    'centroid',
    'centroid_local',
    'moments_central',
    'inertia_tensor',
    'inertia_tensor_eigvals',
    'axis_major_length',
    'axis_minor_length',
    'eccentricity',
    'orientation',
    'equivalent_diameter_area',
  ];

  it('measures a 16 × 15 rectangle', () => {
    const labels = rectangles(30, 30, [[7, 3, 5, 16, 15]]);
    const r = row(regionprops(labels, { properties: GEOMETRY }));
    const n = 16 * 15;
    expect(r.label).toBe(7);
    expect(r.area).toBe(n);
    expect(r.area_bbox).toBe(n);
    expect([r['bbox-0'], r['bbox-1'], r['bbox-2'], r['bbox-3']]).toEqual([3, 5, 19, 20]);
    expect(r.extent).toBe(1);
    expect([r['centroid-0'], r['centroid-1']]).toEqual([3 + 7.5, 5 + 7]);
    expect([r['centroid_local-0'], r['centroid_local-1']]).toEqual([7.5, 7]);
    // μ20 = 15 · Σ(k − 7.5)², μ02 = 16 · Σ(k − 7)², odd central moments 0 exactly.
    expect(r['moments_central-2-0']).toBe(15 * spread(16));
    expect(r['moments_central-0-2']).toBe(16 * spread(15));
    expect([r['moments_central-1-1'], r['moments_central-3-0'], r['moments_central-2-1']]).toEqual([
      0, 0, 0,
    ]);
    const rowVariance = (16 * 16 - 1) / 12;
    const colVariance = (15 * 15 - 1) / 12;
    expect(r['inertia_tensor-0-0']).toBeCloseTo(colVariance, 12);
    expect(r['inertia_tensor-1-1']).toBeCloseTo(rowVariance, 12);
    expect(Math.abs(r['inertia_tensor-0-1'])).toBe(0);
    expect(r['inertia_tensor_eigvals-0']).toBeCloseTo(rowVariance, 12);
    expect(r['inertia_tensor_eigvals-1']).toBeCloseTo(colVariance, 12);
    expect(r.axis_major_length).toBeCloseTo(4 * Math.sqrt(rowVariance), 12);
    expect(r.axis_minor_length).toBeCloseTo(4 * Math.sqrt(colVariance), 12);
    expect(r.eccentricity).toBeCloseTo(Math.sqrt(1 - colVariance / rowVariance), 12);
    // Longer along the rows: the major axis is the row axis.
    expect(r.orientation).toBe(0);
    expect(r.equivalent_diameter_area).toBe(Math.sqrt((4 * n) / Math.PI));
  });

  it('turns the orientation by π/2 for the 15 × 16 rectangle', () => {
    const labels = rectangles(30, 30, [[1, 0, 0, 15, 16]]);
    expect(row(regionprops(labels, { properties: ['orientation'] })).orientation).toBe(Math.PI / 2);
  });

  it('measures a single pixel', () => {
    const labels = rectangles(5, 6, [[3, 2, 4, 1, 1]]);
    const r = row(
      regionprops(labels, { properties: [...GEOMETRY, 'moments_normalized', 'moments_hu'] }),
    );
    expect(r.area).toBe(1);
    expect([r['centroid-0'], r['centroid-1']]).toEqual([2, 4]);
    expect([r['bbox-0'], r['bbox-1'], r['bbox-2'], r['bbox-3']]).toEqual([2, 4, 3, 5]);
    expect([r.axis_major_length, r.axis_minor_length, r.eccentricity]).toEqual([0, 0, 0]);
    // Equal (zero) inertia diagonal: +π/4, skimage 0.19.3's convention.
    expect(r.orientation).toBe(Math.PI / 4);
    expect(r['moments_central-0-0']).toBe(1);
    expect(r['moments_central-2-0']).toBe(0);
    for (const name of ['0-0', '0-1', '1-0']) expect(r[`moments_normalized-${name}`]).toBeNaN();
    expect(r['moments_normalized-2-0']).toBe(0);
    expect(r['moments_hu-0']).toBe(0);
  });

  it('keeps sparse labels up to 2³² − 1 apart, rows in ascending label order', () => {
    // 4,000,000,000 comes first in raster order; storage grows with objects, not labels.
    const labels = rectangles(4, 5, [
      [4_000_000_000, 0, 0, 2, 2],
      [1, 3, 3, 1, 2],
      [2 ** 32 - 1, 0, 4, 1, 1],
    ]);
    const table = regionprops(labels, { properties: ['label', 'area', 'centroid'] });
    expect([...(table.columns.label as Float64Array)]).toEqual([1, 4_000_000_000, 2 ** 32 - 1]);
    expect([...(table.columns.area as Float64Array)]).toEqual([2, 4, 1]);
    expect([...(table.columns['centroid-1'] as Float64Array)]).toEqual([3.5, 0.5, 4]);
  });

  it('counts one label in several pieces as one region', () => {
    const labels = rectangles(6, 6, [
      [5, 0, 0, 2, 2],
      [5, 4, 4, 2, 2],
    ]);
    const r = row(regionprops(labels, { properties: ['area', 'bbox', 'centroid', 'extent'] }));
    expect(r.area).toBe(8);
    expect([r['bbox-0'], r['bbox-1'], r['bbox-2'], r['bbox-3']]).toEqual([0, 0, 6, 6]);
    expect([r['centroid-0'], r['centroid-1']]).toEqual([2.5, 2.5]);
    expect(r.extent).toBe(8 / 36);
  });

  it('gives an empty table, columns named, without objects', () => {
    const table = regionprops(rectangles(3, 3, []), { properties: ['label', 'centroid'] });
    expect(table.rowCount).toBe(0);
    expect(Object.keys(table.columns)).toEqual(['label', 'centroid-0', 'centroid-1']);
  });

  it('defaults to label and bbox, as regionprops_table', () => {
    const table = regionprops(rectangles(3, 3, [[1, 1, 1, 1, 1]]));
    expect(Object.keys(table.columns)).toEqual(['label', 'bbox-0', 'bbox-1', 'bbox-2', 'bbox-3']);
  });
});

describe('regionprops intensity', () => {
  const labels = rectangles(2, 4, [
    [1, 0, 0, 2, 2],
    [2, 0, 2, 2, 2],
  ]);
  const values = [1, 2, 10, 20, 3, 5, 30, 40];

  it('gives mean, min, max, std and median per region', () => {
    const intensity: Plane = { width: 4, height: 2, data: Uint16Array.from(values) };
    const table = regionprops(labels, {
      intensity,
      properties: [
        'intensity_mean',
        'intensity_min',
        'intensity_max',
        'intensity_std',
        'intensity_median',
      ],
    });
    // Region 1: 1, 2, 3, 5; region 2: 10, 20, 30, 40.
    expect(row(table, 0)).toEqual({
      intensity_mean: 2.75,
      intensity_min: 1,
      intensity_max: 5,
      intensity_std: Math.sqrt((1.75 ** 2 + 0.75 ** 2 + 0.25 ** 2 + 2.25 ** 2) / 4),
      intensity_median: 2.5,
    });
    expect(row(table, 1).intensity_median).toBe(25);
  });

  it('weights the centroid by intensity', () => {
    const intensity: Plane = { width: 4, height: 2, data: Float64Array.from(values) };
    const r = row(
      regionprops(labels, {
        intensity,
        properties: ['centroid_weighted', 'centroid_weighted_local'],
      }),
      1,
    );
    expect(r['centroid_weighted-0']).toBeCloseTo((30 + 40) / 100, 14);
    expect(r['centroid_weighted-1']).toBeCloseTo(2 + (20 + 40) / 100, 14);
    expect(r['centroid_weighted_local-1']).toBeCloseTo((20 + 40) / 100, 14);
  });

  it('gives one column per channel for a stack, the channel last', () => {
    const plane = (scale: number): Plane => ({
      width: 4,
      height: 2,
      data: Float32Array.from(values, (v) => v * scale),
    });
    const stack = createStack([plane(1), plane(2)]);
    const table = regionprops(labels, {
      intensity: stack,
      properties: ['intensity_mean', 'centroid_weighted_local'],
    });
    expect(Object.keys(table.columns)).toEqual([
      'intensity_mean-0',
      'intensity_mean-1',
      'centroid_weighted_local-0-0',
      'centroid_weighted_local-0-1',
      'centroid_weighted_local-1-0',
      'centroid_weighted_local-1-1',
    ]);
    expect(row(table, 0)['intensity_mean-1']).toBe(5.5);
    // A one-plane stack is one channel: no channel index.
    const single = regionprops(labels, {
      intensity: createStack([plane(1)]),
      properties: ['intensity_mean'],
    });
    expect(Object.keys(single.columns)).toEqual(['intensity_mean']);
  });

  it('needs an intensity image of the labels’ size', () => {
    expect(() => regionprops(labels, { properties: ['intensity_mean'] })).toThrow(
      /needs an intensity image/,
    );
    const small: Plane = { width: 3, height: 2, data: new Uint8Array(6) };
    expect(() => regionprops(labels, { intensity: small, properties: ['area'] })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('regionprops spacing (skimage ≥ 0.20 semantics)', () => {
  const labels = rectangles(30, 30, [[1, 3, 5, 16, 15]]);

  it('scales areas, lengths, centroids and moments; bbox stays in pixels', () => {
    const spacing: [number, number] = [0.5, 2];
    const table = regionprops(labels, {
      spacing,
      properties: [
        'area',
        'bbox',
        'centroid',
        'moments',
        'moments_central',
        'axis_major_length',
        'orientation',
        'extent',
      ],
    });
    const r = row(table);
    expect(r.area).toBe(240);
    expect([r['bbox-0'], r['bbox-2']]).toEqual([3, 19]);
    expect([r['centroid-0'], r['centroid-1']]).toEqual([10.5 * 0.5, 12 * 2]);
    // skimage's spaced moments: Σ (r·sr)^p (c·sc)^q, so moments-0-0 stays a pixel count.
    expect(r['moments-0-0']).toBe(240);
    expect(r['moments-1-0']).toBe(240 * 7.5 * 0.5);
    expect(r['moments_central-0-2']).toBe(16 * spread(15) * 4);
    // Now wider than tall in µm: major axis along the columns.
    expect(r.axis_major_length).toBeCloseTo(4 * Math.sqrt(((15 * 15 - 1) / 12) * 4), 12);
    expect(r.orientation).toBe(Math.PI / 2);
    expect(r.extent).toBe(1);
    expect(table.metadata.units).toEqual({
      area: 'µm²',
      'bbox-0': 'px',
      'bbox-1': 'px',
      'bbox-2': 'px',
      'bbox-3': 'px',
      'centroid-0': 'µm',
      'centroid-1': 'µm',
      ...Object.fromEntries(
        Array.from({ length: 16 }, (_, i) => [(i >> 2) + (i & 3), `${i >> 2}-${i & 3}`] as const)
          .filter(([power]) => power > 0)
          .flatMap(([power, pq]) => {
            const unit = `µm${['', '', '²', '³', '⁴', '⁵', '⁶'][power]}`;
            return [
              [`moments-${pq}`, unit],
              [`moments_central-${pq}`, unit],
            ];
          }),
      ),
      axis_major_length: 'µm',
      orientation: 'rad',
    });
  });

  it('reports pixel units without spacing', () => {
    const units = regionprops(labels, { properties: ['area', 'centroid'] }).metadata.units;
    expect(units).toEqual({ area: 'px²', 'centroid-0': 'px', 'centroid-1': 'px' });
  });

  it('gives Hu moments for isotropic spacing only (scale-invariant: as in pixels)', () => {
    const inPixels = row(regionprops(labels, { properties: ['moments_hu'] }));
    const inMicrons = row(
      regionprops(labels, { properties: ['moments_hu'], spacing: [0.25, 0.25] }),
    );
    for (const [name, value] of Object.entries(inPixels))
      expect(inMicrons[name]).toBeCloseTo(value, 14);
    expect(() => regionprops(labels, { properties: ['moments_hu'], spacing: [1, 2] })).toThrow(
      /isotropic/,
    );
  });

  it('rejects spacing that is not two positive numbers', () => {
    for (const spacing of [[0, 1], [1, -1], [1, NaN], [1]] as unknown as [number, number][]) {
      expect(() => regionprops(labels, { spacing })).toThrow(InvalidArgumentError);
    }
  });
});

describe('regionprops property names', () => {
  const labels = rectangles(4, 4, [[1, 0, 0, 2, 3]]);

  it('keeps a deprecated name as the column name', () => {
    const table = regionprops(labels, { properties: ['bbox_area', 'local_centroid'] });
    expect(row(table)).toEqual({ bbox_area: 6, 'local_centroid-0': 0.5, 'local_centroid-1': 1 });
  });

  it('lists the known properties for an unknown one', () => {
    expect(() => regionprops(labels, { properties: ['roundness'] })).toThrow(
      /unknown property: "roundness"; the properties are .*centroid.*orientation/,
    );
    expect(() => regionprops(labels, { properties: ['coords'] })).toThrow(/image-valued/);
  });

  it('knows every property it computes from sums', () => {
    expect(knownProperties()).toEqual(
      expect.arrayContaining(['area', 'moments_weighted_hu', 'num_pixels']),
    );
  });
});

describe('registerShapeProperty', () => {
  // Two labels share the bbox of label 1, so the crop must hold label 1's pixels only.
  const labels: Labels = {
    width: 4,
    height: 3,
    data: Uint32Array.from([1, 1, 1, 0, 1, 2, 1, 0, 1, 1, 1, 2]),
  };

  it('plugs a property computed from the cropped binary image into the table', () => {
    const seen: string[] = [];
    const remove = registerShapeProperty({
      name: 'test_mask_pixels',
      lengthPower: 2,
      compute: (mask, region) => {
        seen.push(`${region.label}: ${mask.width}×${mask.height} at ${region.bbox.join(',')}`);
        return mask.data.reduce((a, b) => a + b, 0);
      },
    });
    const removeSize = registerShapeProperty({
      name: 'test_mask_size',
      shape: [2],
      compute: (mask) => [mask.height, mask.width],
    });
    try {
      const table = regionprops(labels, {
        properties: ['label', 'area', 'test_mask_pixels', 'test_mask_size'],
      });
      expect(table.columns.test_mask_pixels).toEqual(table.columns.area);
      expect(row(table, 0)).toMatchObject({ 'test_mask_size-0': 3, 'test_mask_size-1': 3 });
      expect(seen).toEqual(['1: 3×3 at 0,0,3,3', '2: 3×2 at 1,1,3,4']);
      expect(table.metadata.units?.test_mask_pixels).toBe('px²');
      expect(() => registerShapeProperty({ name: 'test_mask_pixels', compute: () => 0 })).toThrow(
        /already/,
      );
      expect(() => registerShapeProperty({ name: 'area', compute: () => 0 })).toThrow(/already/);
    } finally {
      remove();
      removeSize();
    }
    expect(() => regionprops(labels, { properties: ['test_mask_pixels'] })).toThrow(
      /unknown property/,
    );
  });

  it('does not crop objects unless a shape property is asked for', () => {
    let calls = 0;
    const remove = registerShapeProperty({ name: 'test_calls', compute: () => ++calls });
    try {
      regionprops(labels, { properties: ['area', 'centroid'] });
      expect(calls).toBe(0);
      regionprops(labels, { properties: ['test_calls'] });
      expect(calls).toBe(2);
    } finally {
      remove();
    }
  });

  it('checks the number of values a shape property returns', () => {
    const remove = registerShapeProperty({ name: 'test_wrong', shape: [2], compute: () => 1 });
    try {
      expect(() => regionprops(labels, { properties: ['test_wrong'] })).toThrow(
        /returned 1 value, not 2/,
      );
    } finally {
      remove();
    }
  });
});
