import { describe, expect, it } from 'vitest';
import { countedCases, HAS_SHARED } from '../../../../test/shared.js';
import {
  loadInput,
  loadOutput,
  npyLabels,
  propertyNameAliases,
  skimageCases,
  type FileDescriptor,
  type SkimageCase,
} from '../../../../test/skimage-fixtures.js';
import type { Mask } from '../../../image/types.js';
import { areaConvex } from '../area-convex.js';
import { areaFilled } from '../area-filled.js';
import { eulerNumber } from '../euler-number.js';
import { feretDiameterMax } from '../feret-diameter-max.js';
import { perimeterCrofton } from '../perimeter-crofton.js';
import { perimeter } from '../perimeter.js';
import { solidity } from '../solidity.js';
import { crops } from './crops.js';

/** Our counterpart of each table column these functions own; integer columns compare exactly. */
const COLUMNS: Record<string, { compute: (mask: Mask) => number; integer?: boolean }> = {
  perimeter: { compute: (m) => perimeter(m) },
  perimeter_crofton: { compute: (m) => perimeterCrofton(m) },
  euler_number: { compute: (m) => eulerNumber(m), integer: true },
  area_convex: { compute: areaConvex, integer: true },
  area_filled: { compute: areaFilled, integer: true },
  solidity: { compute: solidity },
  feret_diameter_max: { compute: feretDiameterMax },
  // regionprops/scene_a_perimeter_euler_variants
  perimeter_n4: { compute: (m) => perimeter(m, { neighbourhood: 4 }) },
  perimeter_n8: { compute: (m) => perimeter(m, { neighbourhood: 8 }) },
  perimeter_crofton_d2: { compute: (m) => perimeterCrofton(m, { directions: 2 }) },
  perimeter_crofton_d4: { compute: (m) => perimeterCrofton(m, { directions: 4 }) },
  euler_number_c1: { compute: (m) => eulerNumber(m, { connectivity: 1 }), integer: true },
  euler_number_c2: { compute: (m) => eulerNumber(m, { connectivity: 2 }), integer: true },
};

const RELATIVE = 1e-6;

function table(c: SkimageCase): FileDescriptor | undefined {
  const out = c.outputs.table;
  return out && 'file' in out ? out : undefined;
}

function ownColumns(c: SkimageCase): string[] {
  const aliases = propertyNameAliases();
  return (table(c)?.columns ?? []).filter((name) => (aliases[name] ?? name) in COLUMNS);
}

// 9 regionprops tables + the variants case, 3 big tables, the 2048² timing table.
const cases = countedCases(
  ['regionprops', 'big', 'timing2048']
    .flatMap((group) => skimageCases(group))
    .filter((c) => ownColumns(c).length > 0),
  14,
  'shape properties',
);

describe.skipIf(!HAS_SHARED)('shape properties match scikit-image 0.19.3 regionprops', () => {
  it('finds the cases with shape columns', () => {
    expect(cases.map((c) => c.id)).toContain('regionprops/scene_a_perimeter_euler_variants');
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const aliases = propertyNameAliases();
    const descriptor = table(c)!;
    const columns = descriptor.columns!;
    const values = loadOutput(c, 'table').data as Float64Array;
    const objects = crops(npyLabels(loadInput(c, 'label_image')));
    expect(objects.length).toBe(descriptor.shape[0]);
    const at = (row: number, name: string) => values[row * columns.length + columns.indexOf(name)];
    const failures: string[] = [];
    objects.forEach((object, row) => {
      // The crop is the one skimage measured: same label, bbox and pixel count where listed.
      if (columns.includes('label')) expect(at(row, 'label')).toBe(object.label);
      if (columns.includes('bbox-0')) {
        expect([0, 1, 2, 3].map((i) => at(row, `bbox-${i}`))).toEqual(object.bbox);
      }
      if (columns.includes('area')) {
        expect(at(row, 'area')).toBe(object.mask.data.reduce((a, b) => a + b, 0));
      }
      for (const name of ownColumns(c)) {
        const { compute, integer } = COLUMNS[aliases[name] ?? name];
        const expected = at(row, name);
        const actual = compute(object.mask);
        const ok = integer
          ? actual === expected
          : Math.abs(actual - expected) <= RELATIVE * Math.abs(expected);
        if (!ok) failures.push(`label ${object.label} ${name}: ${actual} ≠ ${expected}`);
      }
    });
    expect(failures).toEqual([]);
  });
});
