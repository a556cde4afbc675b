import { masksToFlows } from '../src/cellpose/dynamics/masks-to-flows.js';
import type { CellposeResult } from '../src/cellpose/segment-cellpose.js';
import { gaussianFilter } from '../src/image/gaussian.js';
import type { Labels } from '../src/image/types.js';
import { label } from '../src/segment/labeling/label.js';
import { seededRandom } from '../src/synth/random.js';

/**
 * The failure the issue describes, drawn from true labels: each cell of at least the median
 * area loses, with probability `fraction`, one to two angular sectors beyond its nucleus
 * (1.3 × the nucleus's farthest pixel + 2 px), which become nucleus-free fragments of their own.
 * Cell `k` must hold nucleus `k` (as `syntheticCells` draws them).
 */
export function fragmentCells(
  cells: Labels,
  nuclei: Labels,
  { seed = 1, fraction = 0.6 }: { seed?: number; fraction?: number } = {},
): Labels {
  const { width, data } = cells;
  const random = seededRandom(seed);
  const stats = new Map<number, { area: number; y: number; x: number; n: number }>();
  for (let i = 0; i < data.length; i++) {
    const k = data[i];
    if (k === 0) continue;
    const s = stats.get(k) ?? { area: 0, y: 0, x: 0, n: 0 };
    s.area++;
    if (nuclei.data[i] === k) {
      s.y += Math.floor(i / width);
      s.x += i % width;
      s.n++;
    }
    stats.set(k, s);
  }
  const areas = [...stats.values()].map((s) => s.area).sort((a, b) => a - b);
  const median = areas[areas.length >> 1] ?? 0;
  let next = Math.max(0, ...stats.keys());
  const out = data.slice();
  for (const [k, s] of [...stats].sort((a, b) => a[0] - b[0])) {
    if (s.n === 0 || s.area < median || random() >= fraction) continue;
    const [cy, cx] = [s.y / s.n, s.x / s.n];
    let reach = 0;
    for (let i = 0; i < data.length; i++) {
      if (nuclei.data[i] === k)
        reach = Math.max(reach, Math.hypot(Math.floor(i / width) - cy, (i % width) - cx));
    }
    const sectors = Array.from({ length: random() < 0.5 ? 1 : 2 }, () => ({
      angle: 2 * Math.PI * random(),
      half: (Math.PI / 180) * (40 + 30 * random()),
      label: ++next,
    }));
    for (let i = 0; i < data.length; i++) {
      if (data[i] !== k) continue;
      const [dy, dx] = [Math.floor(i / width) - cy, (i % width) - cx];
      if (Math.hypot(dy, dx) <= 1.3 * reach + 2) continue;
      for (const { angle, half, label } of sectors) {
        const off = Math.abs(
          ((Math.atan2(dy, dx) - angle + 3 * Math.PI) % (2 * Math.PI)) - Math.PI,
        );
        if (off <= half) out[i] = label;
      }
    }
  }
  return { width, height: cells.height, data: out };
}

/**
 * Processes cut off their cell, as networks lose neurites and lamellipodia: each cell's pixels
 * farther than `factor` × its nucleus's equivalent radius from the nucleus centre become, piece
 * by 4-connected piece, nucleus-free masks of their own (pieces under 15 px, Cellpose's
 * min_size, stay). The nucleus centre is the centroid of the nucleus pixels (any label) inside
 * the cell, its radius that of a disc of their area.
 */
export function cutProcesses(cells: Labels, nuclei: Labels, factor: number): Labels {
  const { width, height, data } = cells;
  const centre = new Map<number, { y: number; x: number; n: number }>();
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0 || nuclei.data[i] === 0) continue;
    const c = centre.get(data[i]) ?? { y: 0, x: 0, n: 0 };
    c.y += Math.floor(i / width);
    c.x += i % width;
    c.n++;
    centre.set(data[i], c);
  }
  // Each cell's far pixels, keeping its label so that pieces never join across two cells.
  const farCells = new Uint32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const c = centre.get(data[i]);
    if (!c) continue;
    const reach = factor * Math.sqrt(c.n / Math.PI);
    const distance = Math.hypot(Math.floor(i / width) - c.y / c.n, (i % width) - c.x / c.n);
    if (distance > reach) farCells[i] = data[i];
  }
  const pieces = label({ width, height, data: farCells }, { connectivity: 1 });
  const size = new Uint32Array(pieces.count + 1);
  for (const p of pieces.labels.data) size[p]++;
  // Kept pieces take new labels after the cells', in label()'s raster order.
  const newLabel = new Uint32Array(pieces.count + 1);
  let next = data.reduce((max, v) => Math.max(max, v), 0);
  for (let p = 1; p <= pieces.count; p++) if (size[p] >= 15) newLabel[p] = ++next;
  const out = data.slice();
  pieces.labels.data.forEach((p, i) => {
    if (newLabel[p]) out[i] = newLabel[p];
  });
  return { width, height, data: out };
}

/** Network output a Cellpose model would give for `masks`: 5 × unit flows and ±6 logits, blurred by σ 1. */
export function networkOutputFor(masks: Labels): Pick<CellposeResult, 'masks' | 'flows'> {
  const { width, height } = masks;
  const n = width * height;
  const field = masksToFlows(masks).flows.data;
  const plane = (values: Float32Array) =>
    gaussianFilter({ width, height, data: values }, { sigma: 1 }) as {
      width: number;
      height: number;
      data: Float32Array;
    };
  const dY = plane(Float32Array.from(field.subarray(0, n), (v) => 5 * v));
  const dX = plane(Float32Array.from(field.subarray(n), (v) => 5 * v));
  const cellprob = plane(Float32Array.from(masks.data, (v) => (v ? 6 : -6)));
  return { masks, flows: { dY, dX, cellprob } };
}
