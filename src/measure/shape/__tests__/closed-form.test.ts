import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import type { Mask } from '../../../image/types.js';
import { areaConvex } from '../area-convex.js';
import { areaFilled } from '../area-filled.js';
import { convexHullImage } from '../convex-hull-image.js';
import { eulerNumber } from '../euler-number.js';
import { feretDiameterMax } from '../feret-diameter-max.js';
import { feretDiameterMin } from '../feret-diameter-min.js';
import { filledImage } from '../filled-image.js';
import { perimeterCrofton } from '../perimeter-crofton.js';
import { perimeter } from '../perimeter.js';
import { solidity } from '../solidity.js';
import { maskOf, rectangle } from './crops.js';

const { PI, SQRT2, sqrt } = Math;

function rows(mask: Mask): string[] {
  const out: string[] = [];
  for (let y = 0; y < mask.height; y++) {
    let row = '';
    for (let x = 0; x < mask.width; x++) row += mask.data[y * mask.width + x] ? '#' : '.';
    out.push(row);
  }
  return out;
}

describe('16 × 15 rectangle (16 rows, 15 columns)', () => {
  const box = rectangle(16, 15);

  it('perimeter counts its 2·(16 + 15) − 4 boundary pixels, 1 each', () => {
    expect(perimeter(box)).toBe(58);
  });

  it('Crofton perimeter with 2 directions is π/2 · (rows + columns)', () => {
    expect(perimeterCrofton(box, { directions: 2 })).toBeCloseTo((PI / 2) * 31, 12);
  });

  it('is convex, simply connected and hole-free', () => {
    expect(eulerNumber(box)).toBe(1);
    expect(areaConvex(box)).toBe(240);
    expect(areaFilled(box)).toBe(240);
    expect(solidity(box)).toBe(1);
  });

  it('max Feret is √(16² + 14²): contour points sit on edge midpoints, cutting the corners', () => {
    // (−½, 0) to (15½, 14): the marching-squares contour of a 0/1 image never reaches a pixel
    // corner, so skimage 0.19.3 does not give the corner-to-corner √(16² + 15²).
    expect(feretDiameterMax(box)).toBe(sqrt(16 ** 2 + 14 ** 2));
    expect(feretDiameterMax(box)).toBeLessThan(sqrt(16 ** 2 + 15 ** 2));
  });

  it('min Feret is the 15 columns, measured along a row (angle 0)', () => {
    expect(feretDiameterMin(box)).toEqual({ diameter: 15, angle: 0 });
    expect(feretDiameterMin(rectangle(5, 20))).toEqual({ diameter: 5, angle: 90 });
  });
});

describe('single pixel', () => {
  const pixel = rectangle(1, 1);

  it('has perimeter 0 (no boundary neighbours) and Crofton perimeter π/2·(1 + 1/√2)', () => {
    expect(perimeter(pixel)).toBe(0);
    expect(perimeter(pixel, { neighbourhood: 8 })).toBe(0);
    expect(perimeterCrofton(pixel)).toBeCloseTo((PI / 2) * (1 + 1 / SQRT2), 14);
    expect(perimeterCrofton(pixel, { directions: 2 })).toBeCloseTo(PI, 14);
  });

  it('is one object of area 1', () => {
    expect(eulerNumber(pixel)).toBe(1);
    expect(eulerNumber(pixel, { connectivity: 1 })).toBe(1);
    expect(areaConvex(pixel)).toBe(1);
    expect(areaFilled(pixel)).toBe(1);
    expect(solidity(pixel)).toBe(1);
  });

  it('has Feret diameters 1 and √2/2 (the diamond of its four edge midpoints)', () => {
    expect(feretDiameterMax(pixel)).toBe(1);
    const min = feretDiameterMin(pixel);
    expect(min.diameter).toBeCloseTo(SQRT2 / 2, 15);
    expect(min.angle).toBeCloseTo(45, 12);
  });
});

describe('1-pixel lines', () => {
  it('horizontal 1 × 7: perimeter n − 2 (ends add 0), Feret 7 and 1', () => {
    const line = rectangle(1, 7);
    expect(perimeter(line)).toBe(5);
    expect(eulerNumber(line)).toBe(1);
    expect(areaConvex(line)).toBe(7);
    expect(feretDiameterMax(line)).toBe(7);
    expect(feretDiameterMin(line)).toEqual({ diameter: 1, angle: 90 });
  });

  it('diagonal: perimeter √2 per inner pixel, 8-connected but 5 pieces with 4-connectivity', () => {
    const diagonal = maskOf(['#....', '.#...', '..#..', '...#.', '....#']);
    expect(perimeter(diagonal)).toBeCloseTo(3 * SQRT2, 14);
    expect(eulerNumber(diagonal)).toBe(1);
    expect(eulerNumber(diagonal, { connectivity: 1 })).toBe(5);
    // The hull of the pixels' edge midpoints is a thin band: no other pixel centre falls in it.
    expect(rows(convexHullImage(diagonal))).toEqual(rows(diagonal));
    expect(solidity(diagonal)).toBe(1);
    // Top midpoint of the first pixel (−½, 0) to bottom midpoint of the last (4½, 4).
    expect(feretDiameterMax(diagonal)).toBe(sqrt(5 ** 2 + 4 ** 2));
    const min = feretDiameterMin(diagonal);
    expect(min.diameter).toBeCloseTo(SQRT2 / 2, 14);
    // Rows grow downwards, angles counterclockwise with y up: a "\" line is measured across at 45°.
    expect(min.angle).toBeCloseTo(45, 12);
    const antiDiagonal = maskOf(['....#', '...#.', '..#..', '.#...', '#....']);
    expect(feretDiameterMin(antiDiagonal).angle).toBeCloseTo(135, 12);
  });
});

describe('holes', () => {
  it('a ring with one hole has Euler number 0; filling adds the hole', () => {
    const ring = maskOf(['#####', '#####', '##.##', '#####', '#####']);
    expect(eulerNumber(ring)).toBe(0);
    expect(eulerNumber(ring, { connectivity: 1 })).toBe(0);
    expect(areaFilled(ring)).toBe(25);
    expect(rows(filledImage(ring))).toEqual(rows(rectangle(5, 5)));
    expect(areaConvex(ring)).toBe(25);
    expect(solidity(ring)).toBe(24 / 25);
    expect(perimeter(ring)).toBe(16);
  });

  it('an object with two holes has Euler number −1', () => {
    const twoHoles = maskOf(['#######', '#######', '##.#.##', '#######', '#######']);
    expect(eulerNumber(twoHoles)).toBe(-1);
    expect(eulerNumber(twoHoles, { connectivity: 1 })).toBe(-1);
    expect(areaFilled(twoHoles)).toBe(35);
    expect(solidity(twoHoles)).toBe(33 / 35);
  });

  it('a ring closed only diagonally: a hole for the Euler number, none for area_filled', () => {
    // skimage 0.19.3 does both: euler_number's 8-connected object has 4-connected background,
    // while image_filled floods the background through corners (structure np.ones((3, 3))).
    const diamond = maskOf(['.#.', '#.#', '.#.']);
    expect(eulerNumber(diamond)).toBe(0);
    expect(eulerNumber(diamond, { connectivity: 1 })).toBe(4);
    expect(areaFilled(diamond)).toBe(4);
    expect(areaConvex(diamond)).toBe(5);
  });
});

describe('convex hull image', () => {
  it('includes pixel centres on the hull outline (an L fills to a triangle)', () => {
    const l = maskOf(['#..', '#..', '###']);
    expect(rows(convexHullImage(l))).toEqual(['#..', '##.', '###']);
    expect(areaConvex(l)).toBe(6);
    expect(solidity(l)).toBe(5 / 6);
  });

  it('spans the gap between two pieces of one label', () => {
    const pieces = maskOf(['##...', '.....', '...##']);
    expect(rows(convexHullImage(pieces))).toEqual(['##...', '.###.', '...##']);
    expect(eulerNumber(pieces)).toBe(2);
    expect(feretDiameterMax(pieces)).toBe(sqrt(2 ** 2 + 5 ** 2));
  });
});

describe('edge cases and options', () => {
  const empty: Mask = { width: 3, height: 2, data: new Uint8Array(6) };

  it('an empty mask measures 0 (solidity NaN, min Feret angle NaN)', () => {
    expect(perimeter(empty)).toBe(0);
    expect(perimeterCrofton(empty)).toBe(0);
    expect(eulerNumber(empty)).toBe(0);
    expect(areaConvex(empty)).toBe(0);
    expect(areaFilled(empty)).toBe(0);
    expect(Array.from(convexHullImage(empty).data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(solidity(empty)).toBeNaN();
    expect(feretDiameterMax(empty)).toBe(0);
    expect(feretDiameterMin(empty).diameter).toBe(0);
    expect(feretDiameterMin(empty).angle).toBeNaN();
    expect(perimeter({ width: 0, height: 0, data: new Uint8Array(0) })).toBe(0);
  });

  it('treats any nonzero value as object', () => {
    const twos = { width: 3, height: 1, data: Uint8Array.from([2, 255, 1]) };
    expect(perimeter(twos)).toBe(perimeter(rectangle(1, 3)));
    expect(areaConvex(twos)).toBe(3);
    expect(areaFilled(twos)).toBe(3);
  });

  it('rejects options skimage does not define and malformed masks', () => {
    const box = rectangle(2, 2);
    expect(() => perimeter(box, { neighbourhood: 6 as 4 })).toThrow(InvalidArgumentError);
    expect(() => perimeterCrofton(box, { directions: 3 as 2 })).toThrow(InvalidArgumentError);
    expect(() => eulerNumber(box, { connectivity: 3 as 1 })).toThrow(InvalidArgumentError);
    const bad = { width: 3, height: 3, data: new Uint8Array(4) };
    for (const f of [perimeter, perimeterCrofton, eulerNumber, areaConvex, feretDiameterMax]) {
      expect(() => f(bad)).toThrow(InvalidArgumentError);
    }
  });
});
