// What a regionprops property is: shared by the built-in table and the registry.
import { InvalidArgumentError } from '../errors.js';
import type { Region } from './region.js';

/** What the pass over the label image has to gather for a property. */
export interface PropertyNeeds {
  /** The property reads the intensity image (an error without one). */
  intensity?: boolean;
  /** Σ intensity per object and channel. */
  sum?: boolean;
  /** Smallest and largest intensity per object and channel. */
  minMax?: boolean;
  /** Intensity-weighted moments per object and channel. */
  weighted?: boolean;
  /** The outline pass's boundary counts (perimeter). */
  perimeter?: boolean;
  /** The outline pass's row extents (convex hull, Feret diameters). */
  rowExtents?: boolean;
}

/** What a property can know about a call before any object is measured. */
export interface PropertyContext {
  /** Intensity channels; 0 without an intensity image. */
  readonly channels: number;
  /** Intensity was a stack of several planes: per-channel properties get a channel index. */
  readonly multichannel: boolean;
  /** `[row, col]` pixel size in µm, if given. */
  readonly spacing: readonly [number, number] | undefined;
}

export interface PropertyDefinition {
  /** skimage's name, e.g. `centroid`. */
  readonly name: string;
  /**
   * Shape of one object's value (for one channel), as skimage returns it: `[]` for a scalar
   * (one column `name`), `[2]` for `name-0`, `name-1`, `[4, 4]` for `name-p-q`, …
   */
  readonly shape: readonly number[];
  /** One value per intensity channel; with several channels the channel is the last index. */
  readonly perChannel?: boolean;
  readonly needs?: PropertyNeeds;
  /** Unit of the element at `flat` (C order within `shape`), given whether spacing is set. */
  readonly unit?: (flat: number, spaced: boolean) => string | undefined;
  /** The integer-valued properties (area, bbox, label, …), as skimage's `int` columns. */
  readonly integer?: boolean;
  /** Throws if the property cannot be computed in this context. */
  readonly check?: (context: PropertyContext) => void;
  /** Writes one object's value for one channel, flattened in C order, into `out`. */
  readonly compute: (region: Region, out: Float64Array, channel: number) => void;
}

const SUPERSCRIPT = ['', '', '²', '³', '⁴', '⁵', '⁶'];

/** `px`, `px²`, `µm³`, …; undefined for power 0 (counts, ratios). */
export function lengthUnit(power: number, spaced: boolean): string | undefined {
  if (power === 0) return undefined;
  return (spaced ? 'µm' : 'px') + SUPERSCRIPT[power];
}

/** A `check` for properties skimage defines for isotropic spacing only (moments_hu, perimeter). */
export function isotropicSpacingOnly(name: string): (context: PropertyContext) => void {
  return (context: PropertyContext): void => {
    const s = context.spacing;
    if (s && s[0] !== s[1]) {
      throw new InvalidArgumentError(
        `${name} is only defined for isotropic spacing, got [${s.join(', ')}]`,
      );
    }
  };
}

/** Copies a property's values into its slot of the output row. */
export function copyInto(out: Float64Array, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) out[i] = values[i];
}
