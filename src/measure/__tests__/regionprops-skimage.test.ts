import { describe, expect, it } from 'vitest';
import {
  loadInput,
  loadOutput,
  npyLabels,
  npyPlane,
  propertyNameAliases,
  skimageCases,
  type FileDescriptor,
  type SkimageCase,
} from '../../../test/skimage-fixtures.js';
import { countedCases, HAS_SHARED } from '../../../test/shared.js';
import { createStack } from '../../image/stack.js';
import type { PixelArray, Plane, Stack } from '../../image/types.js';
import { PROPERTY_ALIASES, resolveProperty } from '../properties.js';
import { regionprops } from '../regionprops.js';

/**
 * Bit-identical to skimage 0.19.3 on every fixture: exact integer sums, and NumPy's float32
 * pairwise / sequential summation for float32 intensities.
 */
const EXACT_FLOAT_PROPERTIES = [
  'centroid',
  'centroid_local',
  'centroid_weighted',
  'centroid_weighted_local',
  'equivalent_diameter_area',
  'extent',
  'intensity_max',
  'intensity_mean',
  'intensity_median',
  'intensity_min',
  'intensity_std',
];
const RELATIVE = 1e-6;
const ABSOLUTE = 1e-9;

// The regionprops and big table cases.
const tableCases = countedCases(
  [...skimageCases('regionprops'), ...skimageCases('big')].filter(
    (c) => c.function === 'skimage.measure.regionprops_table',
  ),
  12,
  'regionprops_table',
);

const current = (name: string): string => propertyNameAliases()[name] ?? name;

/** A (H, W) fixture array as a plane, an (H, W, C) one as a stack of C planes. */
function fixtureIntensity(c: SkimageCase): Plane | Stack | undefined {
  if (!c.inputs.intensity_image) return undefined;
  const array = loadInput(c, 'intensity_image');
  if (array.shape.length === 2) return npyPlane(array);
  const [height, width, channels] = array.shape;
  const source = array.data as PixelArray;
  const planes = Array.from({ length: channels }, (_, channel) => {
    const data = new (source.constructor as new (n: number) => PixelArray)(height * width);
    for (let i = 0; i < height * width; i++) data[i] = source[i * channels + channel];
    return { width, height, data };
  });
  return createStack(planes);
}

function requestedProperties(c: SkimageCase): string[] {
  const properties = c.args.properties as string[];
  const extra = (c.args.extra_properties as string[] | undefined) ?? [];
  return [...properties, ...extra];
}

/** The property a column belongs to: the longest requested name it starts with. */
function propertyOfColumn(column: string, requested: string[]): string {
  return requested
    .filter((name) => column === name || column.startsWith(`${name}-`))
    .reduce((a, b) => (b.length > a.length ? b : a));
}

/**
 * The size a moment's rounding error is relative to: Σ|w| · L^(p+q), L the bbox's longer side.
 * First-order central moments are 0 by definition, so both sides hold rounding noise of that
 * order; higher orders of symmetric regions likewise.
 */
function momentScale(column: string, row: number, value: (name: string) => number): number {
  const match = /^(moments(?:_weighted)?_central)-(\d)-(\d)(-\d)?$/.exec(column);
  if (!match) return 1;
  const [, kind, p, q, channel = ''] = match;
  const total =
    kind === 'moments_central'
      ? value('moments-0-0')
      : Math.abs(value(`moments_weighted-0-0${channel}`));
  const side = Math.max(value('bbox-2') - value('bbox-0'), value('bbox-3') - value('bbox-1'));
  return Math.max(1, total * side ** (Number(p) + Number(q)));
}

describe.skipIf(!HAS_SHARED)('regionprops against skimage.measure.regionprops_table', () => {
  for (const c of tableCases) {
    const requested = requestedProperties(c);

    it(c.id, () => {
      const labels = npyLabels(loadInput(c, 'label_image'));
      const table = regionprops(labels, { intensity: fixtureIntensity(c), properties: requested });
      const descriptor = c.outputs.table as FileDescriptor & { column_dtypes: string[] };
      const expected = loadOutput(c, 'table');
      const columns = descriptor.columns ?? [];
      const [rows, width] = expected.shape;
      const at = (row: number, j: number): number => Number(expected.data[row * width + j]);
      const byName = (row: number) => (name: string) => at(row, columns.indexOf(name));
      expect(table.rowCount).toBe(rows);

      expect(Object.keys(table.columns)).toEqual(columns);
      const failures: string[] = [];
      for (const name of columns) {
        const j = columns.indexOf(name);
        const ours = table.columns[name] as Float64Array;
        const property = current(propertyOfColumn(name, requested));
        const exact =
          descriptor.column_dtypes[j] === 'int64' || EXACT_FLOAT_PROPERTIES.includes(property);
        for (let row = 0; row < rows; row++) {
          const want = at(row, j);
          const got = ours[row];
          if (Number.isNaN(want) || Number.isNaN(got)) {
            if (Number.isNaN(want) !== Number.isNaN(got))
              failures.push(`${name}[${row}]: ${got} vs ${want}`);
            continue;
          }
          const tolerance = exact
            ? 0
            : RELATIVE * Math.abs(want) + ABSOLUTE * momentScale(name, row, byName(row));
          if (!(Math.abs(got - want) <= tolerance)) {
            failures.push(
              `${name}[${row}] (label ${ours === table.columns.label ? got : at(row, 0)}): ${got} vs ${want}`,
            );
          }
        }
      }
      expect(failures).toEqual([]);
    });

    const degenerate = c.orientation_degenerate_labels as
      { labels: number[]; 'orientation_0.19.3 (stored in table)': number[] } | undefined;
    if (degenerate?.labels.length) {
      it(`${c.id}: ±π/4 for equal inertia diagonals, skimage 0.19.3's sign`, () => {
        const labels = npyLabels(loadInput(c, 'label_image'));
        const table = regionprops(labels, { properties: ['label', 'orientation'] });
        const label = [...(table.columns.label as Float64Array)];
        const orientation = table.columns.orientation as Float64Array;
        expect(degenerate.labels.map((l) => orientation[label.indexOf(l)])).toEqual(
          degenerate['orientation_0.19.3 (stored in table)'],
        );
      });
    }
  }

  it('accepts every deprecated name of the manifest that names a table column', () => {
    for (const [old, name] of Object.entries(propertyNameAliases())) {
      expect(PROPERTY_ALIASES[old]).toBe(name);
      if (!name.startsWith('image')) {
        expect(resolveProperty(old).name).toBe(name);
      }
    }
  });
});
