import { describe, expect, it } from 'vitest';
import {
  type FileDescriptor,
  loadInput,
  loadOutput,
  npyLabels,
  npyPlane,
  skimageCase,
} from '../../../test/skimage-fixtures.js';
import { HAS_SHARED } from '../../../test/shared.js';
import { InvalidArgumentError } from '../../errors.js';
import { createStack } from '../../image/stack.js';
import type { Labels, Plane } from '../../image/types.js';
import { regionprops } from '../regionprops.js';
import { numericColumn } from '../../table/table.js';

// The extras analysts ask for beyond skimage: intensity_integrated, aspect_ratio,
// touches_border, feret_diameter_min_angle and per-call custom properties.

function boxes(height: number, width: number, list: number[][]): Labels {
  const data = new Uint32Array(height * width);
  for (const [label, r0, c0, rows, cols] of list) {
    for (let r = r0; r < r0 + rows; r++) data.fill(label, r * width + c0, r * width + c0 + cols);
  }
  return { width, height, data };
}

const ramp = (width: number, height: number, scale = 1): Plane<Uint16Array> => ({
  width,
  height,
  data: Uint16Array.from({ length: width * height }, (_, i) => (i % 97) * scale),
});

describe.skipIf(!HAS_SHARED)('extras on the skimage fixture scene (u16)', () => {
  it('intensity_integrated = skimage intensity_mean × area; aspect_ratio = major / minor', () => {
    const c = skimageCase('regionprops/scene_a_u16_all_props');
    const labels = npyLabels(loadInput(c, 'label_image'));
    const intensity = npyPlane(loadInput(c, 'intensity_image'));
    const ours = regionprops(labels, {
      intensity,
      properties: ['label', 'intensity_integrated', 'aspect_ratio'],
    });
    const expected = loadOutput(c, 'table');
    const names = (c.outputs.table as FileDescriptor).columns ?? [];
    const width = expected.shape[1];
    const column = (name: string): number[] =>
      Array.from({ length: ours.rowCount }, (_, row) =>
        Number(expected.data[row * width + names.indexOf(name)]),
      );
    const [labelColumn, mean, area] = ['label', 'intensity_mean', 'area'].map(column);
    const [major, minor] = ['axis_major_length', 'axis_minor_length'].map(column);
    expect(Array.from(numericColumn(ours, 'label'))).toEqual(labelColumn);
    for (let row = 0; row < ours.rowCount; row++) {
      expect(numericColumn(ours, 'intensity_integrated')[row]).toBeCloseTo(
        mean[row] * area[row],
        6,
      );
      const ratio = numericColumn(ours, 'aspect_ratio')[row];
      if (minor[row] === 0) expect(ratio).toBeNaN();
      else expect(ratio).toBeCloseTo(major[row] / minor[row], 10);
    }
  });
});

describe('extras on closed-form shapes', () => {
  // 1: 3×8 at the top edge; 2: 5×2 inside; 3: a 1×6 line at the right edge.
  const labels = boxes(12, 20, [
    [1, 0, 4, 3, 8],
    [2, 5, 5, 5, 2],
    [3, 8, 14, 1, 6],
  ]);

  it('touches_border, aspect_ratio, feret_diameter_min and its angle', () => {
    const table = regionprops(labels, {
      properties: [
        'touches_border',
        'aspect_ratio',
        'feret_diameter_min',
        'feret_diameter_min_angle',
      ],
    });
    expect(Array.from(numericColumn(table, 'touches_border'))).toEqual([1, 0, 1]);
    // Moments' ellipse of a w × h box: axes ∝ √((w² − 1)/12), √((h² − 1)/12).
    expect(numericColumn(table, 'aspect_ratio')[0]).toBeCloseTo(Math.sqrt(63 / 8), 12);
    expect(numericColumn(table, 'aspect_ratio')[1]).toBeCloseTo(Math.sqrt(24 / 3), 12);
    expect(numericColumn(table, 'aspect_ratio')[2]).toBeNaN();
    expect(Array.from(numericColumn(table, 'feret_diameter_min'))).toEqual([3, 2, 1]);
    // Narrowest top to bottom for the wide box (90°), left to right for the tall one (0°).
    expect(Array.from(numericColumn(table, 'feret_diameter_min_angle')).slice(0, 2)).toEqual([
      90, 0,
    ]);
    expect(table.metadata.units?.feret_diameter_min_angle).toBe('deg');
    expect(numericColumn(table, 'touches_border')).toBeInstanceOf(Float64Array);
  });

  it('intensity_integrated sums each channel', () => {
    const stack = createStack([ramp(20, 12), ramp(20, 12, 3)]);
    const table = regionprops(labels, {
      intensity: stack,
      properties: ['intensity_integrated', 'intensity_mean', 'area'],
    });
    for (let row = 0; row < 3; row++) {
      for (const channel of [0, 1]) {
        expect(numericColumn(table, `intensity_integrated-${channel}`)[row]).toBe(
          numericColumn(table, `intensity_mean-${channel}`)[row] *
            numericColumn(table, 'area')[row],
        );
      }
    }
    expect(numericColumn(table, 'intensity_integrated-1')[0]).toBe(
      3 * numericColumn(table, 'intensity_integrated-0')[0],
    );
  });

  it('runs custom properties on the mask and, per channel, the intensity crop', () => {
    const stack = createStack([ramp(20, 12), ramp(20, 12, 3)]);
    const seen: string[] = [];
    const table = regionprops(labels, {
      intensity: stack,
      properties: ['label', 'area', 'intensity_integrated'],
      extraProperties: [
        { name: 'mask_pixels', compute: (mask) => mask.data.reduce((a, b) => a + b, 0) },
        {
          name: 'crop_sum',
          compute: (mask, intensity) => {
            seen.push(`${mask.width}×${mask.height} ${intensity.data.constructor.name}`);
            return Array.from(intensity.data).reduce((a, b) => a + b, 0);
          },
        },
        {
          name: 'extent_wh',
          shape: [2],
          unit: 'px',
          compute: (mask) => [mask.width, mask.height],
        },
      ],
    });
    expect(numericColumn(table, 'mask_pixels')).toEqual(numericColumn(table, 'area'));
    expect(numericColumn(table, 'crop_sum-0')).toEqual(
      numericColumn(table, 'intensity_integrated-0'),
    );
    expect(numericColumn(table, 'crop_sum-1')).toEqual(
      numericColumn(table, 'intensity_integrated-1'),
    );
    expect(Array.from(numericColumn(table, 'extent_wh-0'))).toEqual([8, 2, 6]);
    expect(table.metadata.units?.['extent_wh-1']).toBe('px');
    expect(seen.slice(0, 2)).toEqual(['8×3 Uint16Array', '8×3 Uint16Array']);
    expect(Object.keys(table.columns).slice(-5)).toEqual([
      'mask_pixels',
      'crop_sum-0',
      'crop_sum-1',
      'extent_wh-0',
      'extent_wh-1',
    ]);
  });

  it('rejects custom properties that clash, need missing intensity or return the wrong shape', () => {
    const compute = (): number => 1;
    expect(() => regionprops(labels, { extraProperties: [{ name: 'area', compute }] })).toThrow(
      /already a built-in/,
    );
    expect(() =>
      regionprops(labels, {
        extraProperties: [
          { name: 'x', compute },
          { name: 'x', compute },
        ],
      }),
    ).toThrow(/unique/);
    expect(() =>
      regionprops(labels, { extraProperties: [{ name: 'x', intensity: true, compute }] }),
    ).toThrow(/needs an intensity image/);
    expect(() =>
      regionprops(labels, { extraProperties: [{ name: 'x', shape: [3], compute }] }),
    ).toThrow(InvalidArgumentError);
  });
});
