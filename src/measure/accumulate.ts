import type { Labels, PixelArray } from '../image/types.js';
import { MOMENT_SIZE } from './moments.js';

/**
 * The single pass of `regionprops`: per-object sums gathered run by run (a run = consecutive
 * pixels of one label on one row), so the label → object lookup happens once per run, not per
 * pixel. Storage grows with the number of objects, never with the largest label.
 *
 * Moments are taken about each object's first pixel (its `origin`: top row, leftmost pixel of
 * that row's first run), so every distance stays within the object's extent: the sums stay small
 * and exact for unweighted moments, and central moments lose no digits to a far-away origin.
 */

export interface AccumulateOptions {
  /** One array per channel, each `labels.width × labels.height`, row-major. */
  intensity?: readonly PixelArray[];
  /** Σ intensity per object and channel. */
  sum?: boolean;
  /** Smallest and largest intensity per object and channel. */
  minMax?: boolean;
  /** Intensity-weighted moments (orders 0…3 per axis) per object and channel. */
  weighted?: boolean;
}

export interface RegionSums {
  /** Objects, in order of first appearance in raster order. */
  readonly count: number;
  readonly channels: number;
  /** Label of each object. */
  readonly labels: Float64Array;
  /** Object (position in that order) of each label. */
  readonly indexOf: ReadonlyMap<number, number>;
  /** Pixels of each object. */
  readonly pixels: Float64Array;
  /** `[row, col]` of each object's first pixel: the origin of `moments` and `weightedMoments`. */
  readonly origin: Int32Array;
  /** `[minRow, minCol, maxRow, maxCol]` per object, max exclusive (skimage's `bbox`). */
  readonly bbox: Int32Array;
  /** Σ dr^p dc^q about `origin`, 16 per object (see moments.ts for the layout). */
  readonly moments: Float64Array;
  /** `[object * channels + channel]`; empty unless asked for. */
  readonly intensitySum: Float64Array;
  readonly intensityMin: Float64Array;
  readonly intensityMax: Float64Array;
  /** Σ I dr^p dc^q about `origin`, 16 per (object, channel): `[(object * channels + channel) * 16 + p * 4 + q]`. */
  readonly weightedMoments: Float64Array;
}

function grown<T extends Float64Array | Int32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  return bigger;
}

/** One pass over the label image (and the intensity pixels under each run). */
export function accumulateRegions(labels: Labels, options: AccumulateOptions = {}): RegionSums {
  const { width, height, data } = labels;
  const planes = options.intensity ?? [];
  const channels = planes.length;
  const wantSum = channels > 0 && (options.sum ?? false);
  const wantMinMax = channels > 0 && (options.minMax ?? false);
  const wantWeighted = channels > 0 && (options.weighted ?? false);

  let capacity = 64;
  let count = 0;
  let labelOf = new Float64Array(capacity);
  let pixels = new Float64Array(capacity);
  let origin = new Int32Array(2 * capacity);
  let bbox = new Int32Array(4 * capacity);
  let moments = new Float64Array(MOMENT_SIZE * capacity);
  let sum = new Float64Array(wantSum ? channels * capacity : 0);
  let min = new Float64Array(wantMinMax ? channels * capacity : 0);
  let max = new Float64Array(wantMinMax ? channels * capacity : 0);
  let weighted = new Float64Array(wantWeighted ? MOMENT_SIZE * channels * capacity : 0);

  const index = new Map<number, number>();
  let lastLabel = 0;
  let last = -1;

  for (let r = 0; r < height; r++) {
    const row = r * width;
    let c = 0;
    while (c < width) {
      const label = data[row + c];
      if (label === 0) {
        c++;
        continue;
      }
      const start = c;
      do c++;
      while (c < width && data[row + c] === label);
      const end = c - 1;

      let k = last;
      if (label !== lastLabel) {
        const found = index.get(label);
        if (found !== undefined) k = found;
        else {
          if (count === capacity) {
            capacity *= 2;
            labelOf = grown(labelOf, capacity);
            pixels = grown(pixels, capacity);
            origin = grown(origin, 2 * capacity);
            bbox = grown(bbox, 4 * capacity);
            moments = grown(moments, MOMENT_SIZE * capacity);
            if (wantSum) sum = grown(sum, channels * capacity);
            if (wantMinMax) {
              min = grown(min, channels * capacity);
              max = grown(max, channels * capacity);
            }
            if (wantWeighted) weighted = grown(weighted, MOMENT_SIZE * channels * capacity);
          }
          k = count++;
          index.set(label, k);
          labelOf[k] = label;
          origin[2 * k] = r;
          origin[2 * k + 1] = start;
          bbox[4 * k] = r;
          bbox[4 * k + 1] = start;
          bbox[4 * k + 3] = end;
          if (wantMinMax) {
            for (let ch = 0; ch < channels; ch++) {
              min[k * channels + ch] = Infinity;
              max[k * channels + ch] = -Infinity;
            }
          }
        }
        lastLabel = label;
        last = k;
      }

      const length = end - start + 1;
      pixels[k] += length;
      bbox[4 * k + 2] = r;
      if (start < bbox[4 * k + 1]) bbox[4 * k + 1] = start;
      if (end > bbox[4 * k + 3]) bbox[4 * k + 3] = end;

      // Σ over the run of dc^q in closed form (Faulhaber), dc relative to the origin column.
      const c0 = origin[2 * k + 1];
      const u = start - c0 - 1;
      const v = end - c0;
      const s1 = (v * (v + 1) - u * (u + 1)) / 2;
      const s2 = (v * (v + 1) * (2 * v + 1) - u * (u + 1) * (2 * u + 1)) / 6;
      const f3v = (v * (v + 1)) / 2;
      const f3u = (u * (u + 1)) / 2;
      const s3 = f3v * f3v - f3u * f3u;
      const d1 = r - origin[2 * k];
      const d2 = d1 * d1;
      const d3 = d2 * d1;
      const m = MOMENT_SIZE * k;
      moments[m] += length;
      moments[m + 1] += s1;
      moments[m + 2] += s2;
      moments[m + 3] += s3;
      moments[m + 4] += d1 * length;
      moments[m + 5] += d1 * s1;
      moments[m + 6] += d1 * s2;
      moments[m + 7] += d1 * s3;
      moments[m + 8] += d2 * length;
      moments[m + 9] += d2 * s1;
      moments[m + 10] += d2 * s2;
      moments[m + 11] += d2 * s3;
      moments[m + 12] += d3 * length;
      moments[m + 13] += d3 * s1;
      moments[m + 14] += d3 * s2;
      moments[m + 15] += d3 * s3;

      if (channels === 0) continue;
      const first = row + start;
      const stop = row + end;
      for (let ch = 0; ch < channels; ch++) {
        const plane = planes[ch];
        const slot = k * channels + ch;
        if (wantWeighted) {
          let t0 = 0;
          let t1 = 0;
          let t2 = 0;
          let t3 = 0;
          for (let i = first, dc = start - c0; i <= stop; i++, dc++) {
            const value = plane[i];
            t0 += value;
            const vx = value * dc;
            t1 += vx;
            const vxx = vx * dc;
            t2 += vxx;
            t3 += vxx * dc;
          }
          const w = MOMENT_SIZE * slot;
          weighted[w] += t0;
          weighted[w + 1] += t1;
          weighted[w + 2] += t2;
          weighted[w + 3] += t3;
          weighted[w + 4] += d1 * t0;
          weighted[w + 5] += d1 * t1;
          weighted[w + 6] += d1 * t2;
          weighted[w + 7] += d1 * t3;
          weighted[w + 8] += d2 * t0;
          weighted[w + 9] += d2 * t1;
          weighted[w + 10] += d2 * t2;
          weighted[w + 11] += d2 * t3;
          weighted[w + 12] += d3 * t0;
          weighted[w + 13] += d3 * t1;
          weighted[w + 14] += d3 * t2;
          weighted[w + 15] += d3 * t3;
          if (wantSum) sum[slot] += t0;
        } else if (wantSum) {
          let t0 = 0;
          for (let i = first; i <= stop; i++) t0 += plane[i];
          sum[slot] += t0;
        }
        if (wantMinMax) {
          let lo = min[slot];
          let hi = max[slot];
          for (let i = first; i <= stop; i++) {
            const value = plane[i];
            if (value < lo) lo = value;
            if (value > hi) hi = value;
          }
          min[slot] = lo;
          max[slot] = hi;
        }
      }
    }
  }

  for (let k = 0; k < count; k++) {
    bbox[4 * k + 2] += 1;
    bbox[4 * k + 3] += 1;
  }
  return {
    count,
    channels,
    labels: labelOf.subarray(0, count),
    indexOf: index,
    pixels: pixels.subarray(0, count),
    origin: origin.subarray(0, 2 * count),
    bbox: bbox.subarray(0, 4 * count),
    moments: moments.subarray(0, MOMENT_SIZE * count),
    intensitySum: sum.subarray(0, wantSum ? channels * count : 0),
    intensityMin: min.subarray(0, wantMinMax ? channels * count : 0),
    intensityMax: max.subarray(0, wantMinMax ? channels * count : 0),
    weightedMoments: weighted.subarray(0, wantWeighted ? MOMENT_SIZE * channels * count : 0),
  };
}
