import { describe, expect, it } from 'vitest';
import type { Mask } from '../../../image/types.js';
import { areaConvex } from '../area-convex.js';
import { convexHullImage } from '../convex-hull-image.js';
import { feretDiameterMax } from '../feret-diameter-max.js';
import { feretDiameterMin } from '../feret-diameter-min.js';
import { areaFilled } from '../area-filled.js';
import { filledImage } from '../filled-image.js';
import { fillHoles } from '../../../segment/morphology/fill-holes.js';
import { caliperAngle } from '../hull.js';
import { random } from './crops.js';

// The fast paths (hull from row ends, level envelopes, rotating calipers) against the plain
// definitions, on random crops of every kind: scattered pixels, dense blobs, thin lines, pieces.

type Point = [y: number, x: number];

/** Andrew's monotone chain on sorted points, collinear points dropped. */
function hull(points: Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: Point, a: Point, b: Point) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const chain = (list: Point[]) => {
    const out: Point[] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  return [...chain(sorted), ...chain([...sorted].reverse())];
}

/** Pixel centres in the closed hull of every object pixel's four edge midpoints. */
function hullImage(mask: Mask): Uint8Array {
  const { width, height, data } = mask;
  const points: Point[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!data[y * width + x]) continue;
      points.push([y - 0.5, x], [y + 0.5, x], [y, x - 0.5], [y, x + 0.5]);
    }
  }
  const polygon = hull(points);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Inside or on the outline of a convex polygon: on no edge's outer side.
      let left = false;
      let right = false;
      for (let i = 0; i < polygon.length; i++) {
        const [ay, ax] = polygon[i];
        const [by, bx] = polygon[(i + 1) % polygon.length];
        const side = (by - ay) * (x - ax) - (bx - ax) * (y - ay);
        if (side > 0) left = true;
        if (side < 0) right = true;
      }
      out[y * width + x] = left && right ? 0 : 1;
    }
  }
  return out;
}

/** Midpoints of every pixel edge between hull and non-hull (what find_contours(0.5) returns). */
function contourPoints(image: Mask): Point[] {
  const { width, height, data } = image;
  const at = (y: number, x: number) =>
    y >= 0 && y < height && x >= 0 && x < width ? data[y * width + x] : 0;
  const points: Point[] = [];
  for (let y = -1; y <= height; y++) {
    for (let x = -1; x <= width; x++) {
      if (at(y, x) !== at(y, x + 1)) points.push([y, x + 0.5]);
      if (at(y, x) !== at(y + 1, x)) points.push([y + 0.5, x]);
    }
  }
  return points;
}

function randomMask(next: () => number): Mask {
  const height = 1 + Math.floor(next() * 24);
  const width = 1 + Math.floor(next() * 24);
  const data = new Uint8Array(width * height);
  const kind = Math.floor(next() * 3);
  if (kind === 0) {
    const density = 0.02 + next() * 0.9;
    for (let i = 0; i < data.length; i++) data[i] = next() < density ? 1 : 0;
  } else if (kind === 1) {
    // A few straight 1-px lines between random points.
    for (let k = 0; k < 1 + Math.floor(next() * 3); k++) {
      const [y0, x0, y1, x1] = [next() * height, next() * width, next() * height, next() * width];
      const steps = Math.ceil(Math.max(Math.abs(y1 - y0), Math.abs(x1 - x0))) + 1;
      for (let s = 0; s <= steps; s++) {
        const y = Math.min(height - 1, Math.floor(y0 + ((y1 - y0) * s) / steps));
        const x = Math.min(width - 1, Math.floor(x0 + ((x1 - x0) * s) / steps));
        data[y * width + x] = 1;
      }
    }
  } else {
    // A rotated ellipse, possibly clipped.
    const [cy, cx] = [next() * height, next() * width];
    const [ry, rx, t] = [0.5 + next() * height, 0.5 + next() * width, next() * Math.PI];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const u = (y - cy) * Math.cos(t) + (x - cx) * Math.sin(t);
        const v = -(y - cy) * Math.sin(t) + (x - cx) * Math.cos(t);
        data[y * width + x] = (u / ry) ** 2 + (v / rx) ** 2 <= 1 ? 1 : 0;
      }
    }
  }
  return { width, height, data };
}

describe('hull and Feret fast paths agree with brute force', () => {
  const next = random(20240611);
  const masks = Array.from({ length: 400 }, () => randomMask(next)).filter((m) =>
    m.data.some((v) => v !== 0),
  );

  it('convex hull image = pixel centres inside the hull of all edge midpoints', () => {
    let differing = 0;
    for (const mask of masks) {
      const image = convexHullImage(mask).data;
      const expected = hullImage(mask);
      if (image.some((v, i) => v !== expected[i])) differing++;
      expect(areaConvex(mask)).toBe(expected.reduce((a, b) => a + b, 0));
    }
    expect(differing).toBe(0);
  });

  it('filled image = scipy binary_fill_holes with a 3 × 3 structure (fillHoles, connectivity 2)', () => {
    for (const mask of masks) {
      const expected = fillHoles(mask, { connectivity: 2 }).data;
      expect(Array.from(filledImage(mask).data)).toEqual(Array.from(expected));
      expect(areaFilled(mask)).toBe(expected.reduce((a, b) => a + b, 0));
    }
  });

  it('max Feret = largest distance over all pairs of contour points', () => {
    for (const mask of masks) {
      const points = contourPoints(convexHullImage(mask));
      let best = 0;
      for (let i = 0; i < points.length; i++) {
        for (let j = i + 1; j < points.length; j++) {
          const d = (points[i][0] - points[j][0]) ** 2 + (points[i][1] - points[j][1]) ** 2;
          if (d > best) best = d;
        }
      }
      expect(feretDiameterMax(mask)).toBe(Math.sqrt(best));
    }
  });

  it('min Feret = narrowest strip over all hull-edge directions, same angle convention', () => {
    for (const mask of masks) {
      const points = contourPoints(convexHullImage(mask));
      const polygon = hull(points);
      let best = Infinity;
      const angles: number[] = [];
      for (let i = 0; i < polygon.length; i++) {
        const [ay, ax] = polygon[i];
        const [by, bx] = polygon[(i + 1) % polygon.length];
        const length = Math.hypot(by - ay, bx - ax);
        let lo = Infinity;
        let hi = -Infinity;
        for (const [y, x] of points) {
          const d = ((bx - ax) * (y - ay) - (by - ay) * (x - ax)) / length;
          lo = Math.min(lo, d);
          hi = Math.max(hi, d);
        }
        const width = hi - lo;
        if (width < best - 1e-9) angles.length = 0;
        if (width <= best + 1e-9) angles.push(caliperAngle(by - ay, bx - ax));
        best = Math.min(best, width);
      }
      const min = feretDiameterMin(mask);
      expect(min.diameter).toBeCloseTo(best, 10);
      expect(min.angle).toBeCloseTo(Math.min(...angles), 9);
    }
  });
});
