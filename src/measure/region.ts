import type { Labels, Mask, PixelArray, Plane } from '../image/types.js';
import type { RegionSums } from './accumulate.js';
import type { OutlineSums } from './outline-pass.js';
import { perimeterOfCounts, PERIMETER_SLOTS } from './shape/perimeter.js';
import type { RowExtents } from './shape/row-extents.js';
import {
  huMoments,
  inertiaOf,
  MOMENT_SIZE,
  normalizeMoments,
  scaleMoments,
  shiftMoments,
  type Inertia,
} from './moments.js';

/**
 * One object of a `regionprops` call, as the property definitions see it: its sums from the
 * pass, and everything derived from them, each computed on first use and kept.
 *
 * Internal to the measure module.
 */

/** What every object of one call shares: the pass's sums, the images, spacing, scratch space. */
export interface RegionSet {
  readonly sums: RegionSums;
  /** The outline pass's results, when a property asked for them. */
  readonly outline?: OutlineSums;
  readonly labels: Labels;
  readonly planes: readonly PixelArray[];
  /** `[row, col]` size of a pixel; `[1, 1]` without spacing. */
  readonly spacing: readonly [number, number];
  /** The spacing the caller gave, if any. */
  readonly givenSpacing: readonly [number, number] | undefined;
  /** Intensity came as a stack of several planes (skimage's (H, W, C) image). */
  readonly multichannel: boolean;
  /** The intensity planes hold float32 (means, std and median are then float32, as NumPy's). */
  readonly float32: boolean;
  /** The intensity planes hold float32 or float64. */
  readonly float: boolean;
  /** Pixels of the largest object: the size of the scratch buffers. */
  readonly largest: number;
  /** Two buffers for one object's values, made on first use (float32 for float32 planes). */
  scratch?: [Float32Array | Float64Array, Float32Array | Float64Array];
  /** Whose values `scratch[0]` holds now, so they are collected once per region and channel. */
  readonly valuesHeld: { region?: Region; channel: number };
}

export class Region {
  #moments?: Float64Array;
  #central?: Float64Array;
  #normalized?: Float64Array;
  #inertia?: Inertia;
  #mask?: Mask;
  readonly #weighted: (Float64Array | undefined)[] = [];
  readonly #weightedCentral: (Float64Array | undefined)[] = [];
  readonly #weightedNormalized: (Float64Array | undefined)[] = [];

  constructor(
    readonly set: RegionSet,
    /** Position in the pass's (first-appearance) order. */
    readonly index: number,
  ) {}

  get label(): number {
    return this.set.sums.labels[this.index];
  }

  get pixelCount(): number {
    return this.set.sums.pixels[this.index];
  }

  /** `[minRow, minCol, maxRow, maxCol]`, max exclusive. */
  get bbox(): [number, number, number, number] {
    const b = this.set.sums.bbox;
    const i = 4 * this.index;
    return [b[i], b[i + 1], b[i + 2], b[i + 3]];
  }

  /** skimage `perimeter` (4-neighbourhood) in pixels, from the outline pass. */
  perimeter(): number {
    return perimeterOfCounts(this.#outline().perimeterCounts, this.index * PERIMETER_SLOTS);
  }

  /** The object's first and last column on each row of its bbox, from the outline pass. */
  rowExtents(): RowExtents {
    const { rowStart, rowLo, rowHi } = this.#outline();
    const [r0, c0, r1, c1] = this.bbox;
    const start = rowStart[this.index];
    const end = start + r1 - r0;
    return {
      width: c1 - c0,
      height: r1 - r0,
      lo: rowLo.subarray(start, end),
      hi: rowHi.subarray(start, end),
    };
  }

  #outline(): OutlineSums {
    const { outline } = this.set;
    if (!outline) throw new Error('internal: the outline pass did not run');
    return outline;
  }

  /** skimage `moments`: about the bbox's top-left pixel centre, in spacing units. */
  moments(): Float64Array {
    this.#moments ??= this.#aboutBbox(this.set.sums.moments, MOMENT_SIZE * this.index);
    return this.#moments;
  }

  /** skimage `moments_central`, in spacing units. */
  centralMoments(): Float64Array {
    this.#central ??= this.#aboutCentroid(this.set.sums.moments, MOMENT_SIZE * this.index);
    return this.#central;
  }

  normalizedMoments(): Float64Array {
    this.#normalized ??= normalizeMoments(this.centralMoments(), this.#smallestSpacing());
    return this.#normalized;
  }

  huMoments(): Float64Array {
    return huMoments(this.normalizedMoments());
  }

  inertia(): Inertia {
    this.#inertia ??= inertiaOf(this.centralMoments());
    return this.#inertia;
  }

  /** The spacing the caller gave: undefined for a table in pixels. */
  get spacing(): readonly [number, number] | undefined {
    return this.set.givenSpacing;
  }

  /** skimage `moments_weighted` of one channel. */
  weightedMoments(channel: number): Float64Array {
    const offset = MOMENT_SIZE * (this.index * this.set.sums.channels + channel);
    this.#weighted[channel] ??= this.#aboutBbox(this.set.sums.weightedMoments, offset);
    return this.#weighted[channel];
  }

  weightedCentralMoments(channel: number): Float64Array {
    const offset = MOMENT_SIZE * (this.index * this.set.sums.channels + channel);
    this.#weightedCentral[channel] ??= this.#aboutCentroid(this.set.sums.weightedMoments, offset);
    return this.#weightedCentral[channel];
  }

  weightedNormalizedMoments(channel: number): Float64Array {
    this.#weightedNormalized[channel] ??= normalizeMoments(
      this.weightedCentralMoments(channel),
      this.#smallestSpacing(),
    );
    return this.#weightedNormalized[channel];
  }

  weightedHuMoments(channel: number): Float64Array {
    return huMoments(this.weightedNormalizedMoments(channel));
  }

  intensitySum(channel: number): number {
    return this.set.sums.intensitySum[this.index * this.set.sums.channels + channel];
  }

  intensityMin(channel: number): number {
    return this.set.sums.intensityMin[this.index * this.set.sums.channels + channel];
  }

  intensityMax(channel: number): number {
    return this.set.sums.intensityMax[this.index * this.set.sums.channels + channel];
  }

  /**
   * The object's intensities in one channel, raster order, as `intensity[mask]` gives them. A
   * view of shared scratch space: valid until another region's or channel's values are asked for;
   * callers that reorder it must copy first (see {@link spareScratch}).
   */
  values(channel: number): Float32Array | Float64Array {
    const n = this.pixelCount;
    const out = this.#scratch()[0];
    const held = this.set.valuesHeld;
    if (held.region !== this || held.channel !== channel) {
      const { width, data } = this.set.labels;
      const plane = this.set.planes[channel];
      const label = this.label;
      const [r0, c0, r1, c1] = this.bbox;
      let k = 0;
      for (let r = r0; r < r1; r++) {
        for (let i = r * width + c0, end = r * width + c1; i < end; i++) {
          if (data[i] === label) out[k++] = plane[i];
        }
      }
      held.region = this;
      held.channel = channel;
    }
    return out.subarray(0, n);
  }

  /** Scratch the size of {@link values}, free for a caller's own use. */
  spareScratch(): Float32Array | Float64Array {
    return this.#scratch()[1];
  }

  #scratch(): [Float32Array | Float64Array, Float32Array | Float64Array] {
    const { float32, largest } = this.set;
    this.set.scratch ??= float32
      ? [new Float32Array(largest), new Float32Array(largest)]
      : [new Float64Array(largest), new Float64Array(largest)];
    return this.set.scratch;
  }

  /** skimage `image`: the object's pixels within its bbox (1 = this label, 0 = anything else). */
  mask(): Mask {
    if (!this.#mask) {
      const { width, data } = this.set.labels;
      const label = this.label;
      const [r0, c0, r1, c1] = this.bbox;
      const w = c1 - c0;
      const mask = new Uint8Array(w * (r1 - r0));
      for (let r = r0; r < r1; r++) {
        const source = r * width;
        const target = (r - r0) * w - c0;
        for (let c = c0; c < c1; c++) if (data[source + c] === label) mask[target + c] = 1;
      }
      this.#mask = { width: w, height: r1 - r0, data: mask };
    }
    return this.#mask;
  }

  /** skimage `image_intensity` of one channel: the bbox crop, 0 outside the object. */
  intensityCrop(channel: number): Plane {
    const { width, data } = this.set.labels;
    const plane = this.set.planes[channel];
    const label = this.label;
    const [r0, c0, r1, c1] = this.bbox;
    const w = c1 - c0;
    const crop = new (plane.constructor as new (length: number) => PixelArray)(w * (r1 - r0));
    for (let r = r0; r < r1; r++) {
      const target = (r - r0) * w - c0;
      for (let i = r * width + c0, c = c0; c < c1; c++, i++) {
        if (data[i] === label) crop[target + c] = plane[i];
      }
    }
    return { width: w, height: r1 - r0, data: crop };
  }

  #aboutBbox(sums: Float64Array, offset: number): Float64Array {
    const o = 2 * this.index;
    const b = 4 * this.index;
    const { origin, bbox } = this.set.sums;
    const out = shiftMoments(
      sums,
      offset,
      bbox[b] - origin[o],
      bbox[b + 1] - origin[o + 1],
      new Float64Array(MOMENT_SIZE),
    );
    scaleMoments(out, this.set.spacing[0], this.set.spacing[1]);
    return out;
  }

  #aboutCentroid(sums: Float64Array, offset: number): Float64Array {
    const total = sums[offset];
    const out = shiftMoments(
      sums,
      offset,
      sums[offset + 4] / total,
      sums[offset + 1] / total,
      new Float64Array(MOMENT_SIZE),
    );
    scaleMoments(out, this.set.spacing[0], this.set.spacing[1]);
    return out;
  }

  #smallestSpacing(): number {
    return Math.min(this.set.spacing[0], this.set.spacing[1]);
  }
}
