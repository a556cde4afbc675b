import { bench, describe } from 'vitest';
import type { Mask } from '../src/image/types.js';
import {
  areaConvex,
  areaFilled,
  convexHullImage,
  eulerNumber,
  feretDiameterMax,
  feretDiameterMin,
  perimeter,
  perimeterCrofton,
  solidity,
} from '../src/measure/shape/index.js';
import { seededRandom } from '../src/synth/random.js';

// Each iteration measures 3,000 objects, so the mean is ms per 3,000 objects (÷ 3 for µs per
// object). The objects are what regionprops hands these functions: bbox crops of rotated ellipses
// 28–42 px across, a quarter with a hole (a nucleolus), so fill and Euler have work to do.
//
// For scale, a one-off run (not part of the repo) of scikit-image 0.19.3's regionprops_table on
// the 3,000 cells of the t2048_cells_u16.tif fixture, time over a `label`-only table, on the same
// 2-core machine: perimeter 310 ms, perimeter_crofton 287, euler_number 192, area_convex 1,960,
// solidity 2,015, area_filled 204, feret_diameter_max 3,021; all seven together 5.1 s. These
// functions on the same crops: 33, 23, 32, 33, 29, 47, 18 ms; all seven 174 ms.

function ellipses(count: number, seed: number): Mask[] {
  const random = seededRandom(seed);
  const masks: Mask[] = [];
  for (let i = 0; i < count; i++) {
    const ry = 14 + 7 * random();
    const rx = 14 + 7 * random();
    const theta = Math.PI * random();
    const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
    const reach = Math.ceil(Math.max(ry, rx)) + 1;
    const size = 2 * reach + 1;
    const data = new Uint8Array(size * size);
    const hole = i % 4 === 0 ? 0.2 + 0.1 * random() : 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const dy = y - reach + random() - 0.5;
        const dx = x - reach;
        const u = (dy * cos + dx * sin) / ry;
        const v = (dx * cos - dy * sin) / rx;
        const r2 = u * u + v * v;
        data[y * size + x] = r2 <= 1 && r2 >= hole * hole ? 1 : 0;
      }
    }
    masks.push(crop({ width: size, height: size, data }));
  }
  return masks;
}

/** The bbox crop of a mask, as skimage's `region.image`. */
function crop(mask: Mask): Mask {
  const { width, height, data } = mask;
  let [r0, c0, r1, c1] = [height, width, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!data[y * width + x]) continue;
      r0 = Math.min(r0, y);
      r1 = Math.max(r1, y);
      c0 = Math.min(c0, x);
      c1 = Math.max(c1, x);
    }
  }
  const w = c1 - c0 + 1;
  const out = new Uint8Array(w * (r1 - r0 + 1));
  for (let y = r0; y <= r1; y++)
    out.set(data.subarray(y * width + c0, y * width + c1 + 1), (y - r0) * w);
  return { width: w, height: r1 - r0 + 1, data: out };
}

const objects = ellipses(3000, 7);
const pixels = objects.reduce((n, m) => n + m.width * m.height, 0);

function each(measure: (mask: Mask) => unknown): () => void {
  return () => {
    for (const mask of objects) measure(mask);
  };
}

describe(`shape properties of ${objects.length} objects (${(pixels / objects.length).toFixed(0)} px per crop)`, () => {
  bench('perimeter', each(perimeter));
  bench(
    'perimeter, neighbourhood 8',
    each((m) => perimeter(m, { neighbourhood: 8 })),
  );
  bench('perimeterCrofton', each(perimeterCrofton));
  bench('eulerNumber', each(eulerNumber));
  bench('convexHullImage', each(convexHullImage));
  bench('areaConvex', each(areaConvex));
  bench('solidity', each(solidity));
  bench('areaFilled', each(areaFilled));
  bench('feretDiameterMax', each(feretDiameterMax));
  bench('feretDiameterMin', each(feretDiameterMin));
  bench(
    'all seven regionprops columns',
    each((m) => [
      perimeter(m),
      perimeterCrofton(m),
      eulerNumber(m),
      areaConvex(m),
      solidity(m),
      areaFilled(m),
      feretDiameterMax(m),
    ]),
  );
});
