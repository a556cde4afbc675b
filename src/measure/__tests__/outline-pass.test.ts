import { describe, expect, it } from 'vitest';
import type { Labels } from '../../image/types.js';
import { numericColumn } from '../../table/table.js';
import { regionprops } from '../regionprops.js';
import { areaConvex } from '../shape/area-convex.js';
import { feretDiameterMax } from '../shape/feret-diameter-max.js';
import { feretDiameterMin } from '../shape/feret-diameter-min.js';
import { perimeter } from '../shape/perimeter.js';
import { solidity } from '../shape/solidity.js';
import { crops, random } from '../shape/__tests__/crops.js';

// regionprops measures perimeter, circularity, convex area, solidity and the Feret diameters in
// one pass over the label image (outline-pass.ts). Each must equal, to the last bit, the same
// function on the object's cropped image (skimage's `region.image`), which the skimage fixtures
// pin: touching objects, objects on the image's edges, labels in several pieces, holes, lines.

const OUTLINE = [
  'perimeter',
  'circularity',
  'area_convex',
  'solidity',
  'feret_diameter_max',
  'feret_diameter_min',
  'feret_diameter_min_angle',
];

/** Random rectangles and discs of labels 1…labels, drawn over each other, plus stray pixels. */
function scene(seed: number, width: number, height: number, labels: number): Labels {
  const next = random(seed);
  const data = new Uint32Array(width * height);
  const pick = (n: number) => Math.floor(next() * n);
  for (let s = 0; s < labels * 2; s++) {
    const label = 1 + pick(labels);
    const cy = pick(height);
    const cx = pick(width);
    const ry = 1 + pick(9);
    const rx = 1 + pick(9);
    const disc = next() < 0.5;
    for (let y = Math.max(0, cy - ry); y <= Math.min(height - 1, cy + ry); y++) {
      for (let x = Math.max(0, cx - rx); x <= Math.min(width - 1, cx + rx); x++) {
        if (disc && ((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2 > 1) continue;
        data[y * width + x] = label;
      }
    }
  }
  // Holes and stray pixels, some of another label.
  for (let s = 0; s < (width * height) / 20; s++) data[pick(width * height)] = pick(labels + 1);
  return { width, height, data };
}

function noise(seed: number, width: number, height: number): Labels {
  const next = random(seed);
  return { width, height, data: Uint32Array.from({ length: width * height }, () => next() * 4) };
}

const scenes: [string, Labels][] = [
  ...[1, 2, 3, 4, 5].map((seed): [string, Labels] => [`shapes ${seed}`, scene(seed, 67, 53, 30)]),
  ['noise of 3 labels', noise(6, 40, 31)],
  ['one label filling the image', { width: 9, height: 7, data: new Uint32Array(63).fill(5) }],
  ['one row', noise(7, 50, 1)],
  ['one column', noise(8, 1, 50)],
];

describe('outline properties from the label image equal the crop functions', () => {
  it.each(scenes)('%s', (_name, labels) => {
    const table = regionprops(labels, { properties: ['label', ...OUTLINE] });
    const expected: Record<string, number[]> = Object.fromEntries(OUTLINE.map((p) => [p, []]));
    const objects = crops(labels);
    for (const { mask } of objects) {
      const pixels = mask.data.reduce((a, b) => a + b, 0);
      const p = perimeter(mask);
      const min = feretDiameterMin(mask);
      expected.perimeter.push(p);
      expected.circularity.push(p > 0 ? (4 * Math.PI * pixels) / (p * p) : NaN);
      expected.area_convex.push(areaConvex(mask));
      expected.solidity.push(solidity(mask));
      expected.feret_diameter_max.push(feretDiameterMax(mask));
      expected.feret_diameter_min.push(min.diameter);
      expected.feret_diameter_min_angle.push(min.angle);
    }
    expect(table.rowCount).toBe(objects.length);
    expect(Array.from(numericColumn(table, 'label'))).toEqual(objects.map((o) => o.label));
    for (const name of OUTLINE) {
      expect(Array.from(numericColumn(table, name)), name).toEqual(expected[name]);
    }
  });
  expect(scenes).toHaveLength(9);

  it('scales lengths and areas by an isotropic spacing', () => {
    const labels = scene(9, 40, 30, 12);
    const plain = regionprops(labels, { properties: OUTLINE });
    const spaced = regionprops(labels, { properties: OUTLINE, spacing: [0.25, 0.25] });
    const scale: Record<string, number> = { perimeter: 0.25, area_convex: 0.0625 };
    scale.feret_diameter_max = scale.feret_diameter_min = 0.25;
    for (const name of OUTLINE) {
      const expected = Array.from(numericColumn(plain, name), (v) => v * (scale[name] ?? 1));
      expect(Array.from(numericColumn(spaced, name)), name).toEqual(expected);
    }
    expect(spaced.metadata.units?.perimeter).toBe('µm');
    expect(spaced.metadata.units?.area_convex).toBe('µm²');
  });
});
