import { InvalidArgumentError } from '../errors.js';
import type { Mask, Plane } from '../image/types.js';
import { BUILT_IN_PROPERTIES } from './built-in-properties.js';
import {
  copyInto,
  isotropicSpacingOnly,
  lengthUnit,
  type PropertyContext,
  type PropertyDefinition,
} from './property-definition.js';
import { OUTLINE_PROPERTIES } from './outline-properties.js';
import { areaFilled, eulerNumber, perimeterCrofton } from './shape/index.js';

/**
 * The registry of `regionprops` properties: skimage's names (0.19.3 definitions, spacing as in
 * ≥ 0.20), what each needs from the single pass, and how it is computed per object.
 *
 * Three kinds of property live here:
 * - built-in ones, computed from the pass's per-object sums (moments, intensity sums, min/max)
 *   or from the object's intensities (median, std, float means);
 * - outline ones (perimeter, circularity, convex area, solidity, Feret diameters), computed for
 *   all objects at once by a second pass over the label image (outline-pass.ts), when requested;
 * - shape properties, computed from the object's cropped binary image (skimage's `image`),
 *   added with {@link registerShapeProperty}. The crop is only built when such a property is
 *   requested.
 *
 * src/measure/shape/'s remaining functions are registered at the bottom of this file (an import
 * of values, so bundlers keep it: package.json says `sideEffects: false`). The built-in and
 * outline ones are the tables in built-in-properties.ts and outline-properties.ts; the types
 * they share are in property-definition.ts.
 */

export {
  isotropicSpacingOnly,
  lengthUnit,
  type PropertyContext,
  type PropertyDefinition,
  type PropertyNeeds,
} from './property-definition.js';

// ---------------------------------------------------------------------------------------------
// Shape properties: the hook for properties computed from an object's binary image

/** An object as a shape property sees it, next to its cropped binary image. */
export interface ShapeRegion {
  readonly label: number;
  /** `[minRow, minCol, maxRow, maxCol]` of the crop in the label image, max exclusive. */
  readonly bbox: readonly [number, number, number, number];
  /** Pixels of the object (the 1s of the mask). */
  readonly pixelCount: number;
  /** `[row, col]` pixel size in µm when the call set `spacing`; undefined otherwise (pixels). */
  readonly spacing: readonly [number, number] | undefined;
}

/**
 * A property computed from one object's cropped binary image, e.g. perimeter or convex area.
 * `compute` gets skimage's `region.image` — the bbox crop, 1 where the label is this object's —
 * and returns the value in the table's units: pixels without spacing, µm with it (scale by
 * `region.spacing` yourself; skimage ≥ 0.20 says how, property by property).
 */
export interface ShapePropertyDefinition {
  /** skimage's name, e.g. `perimeter`; must not be a built-in property. */
  readonly name: string;
  /** Shape of the value as skimage returns it: `[]` (default) for a scalar, `[n]`, `[a, b]`, … */
  readonly shape?: readonly number[];
  /** Power of length of the value, for `table.metadata.units`: 1 for px / µm, 2 for px² / µm². */
  readonly lengthPower?: number;
  /** A fixed unit instead (`deg`, `rad`, …), for values that are not lengths. */
  readonly unit?: string;
  /** skimage gives the column as integers (euler_number, area_filled without spacing). */
  readonly integer?: boolean;
  /** Throws if the property cannot be computed with this spacing (e.g. anisotropic). */
  readonly check?: (context: PropertyContext) => void;
  readonly compute: (mask: Mask, region: ShapeRegion) => number | ArrayLike<number>;
}

/** skimage properties whose value is an image or a list, not a table column. */
const IMAGE_VALUED = [
  'coords',
  'image',
  'image_convex',
  'image_filled',
  'image_intensity',
  'slice',
];

/** Deprecated skimage names (0.19.3 `PROPS`, lower-case ones) → current names. */
export const PROPERTY_ALIASES: Readonly<Record<string, string>> = {
  bbox_area: 'area_bbox',
  convex_area: 'area_convex',
  convex_image: 'image_convex',
  equivalent_diameter: 'equivalent_diameter_area',
  filled_area: 'area_filled',
  filled_image: 'image_filled',
  intensity_image: 'image_intensity',
  local_centroid: 'centroid_local',
  major_axis_length: 'axis_major_length',
  max_intensity: 'intensity_max',
  mean_intensity: 'intensity_mean',
  min_intensity: 'intensity_min',
  minor_axis_length: 'axis_minor_length',
  weighted_centroid: 'centroid_weighted',
  weighted_local_centroid: 'centroid_weighted_local',
  weighted_moments: 'moments_weighted',
  weighted_moments_central: 'moments_weighted_central',
  weighted_moments_hu: 'moments_weighted_hu',
  weighted_moments_normalized: 'moments_weighted_normalized',
};

const registry = new Map<string, PropertyDefinition>(
  [...BUILT_IN_PROPERTIES, ...OUTLINE_PROPERTIES].map((p) => [p.name, p]),
);

/**
 * Adds a property computed from each object's cropped binary image. `regionprops` then accepts
 * its name (and any deprecated alias of it) and builds the crop only for calls that ask for it.
 * Returns a function that removes it again. Throws if the name is taken.
 *
 * ```ts
 * registerShapeProperty({
 *   name: 'perimeter',
 *   lengthPower: 1,
 *   check: isotropicSpacingOnly('perimeter'), // skimage ≥ 0.20 refuses anisotropic spacing
 *   compute: (mask, region) => perimeter(mask) * (region.spacing?.[0] ?? 1),
 * });
 * registerShapeProperty({
 *   name: 'area_convex',
 *   lengthPower: 2,
 *   integer: true,
 *   compute: (mask, { spacing }) => areaConvex(mask) * (spacing ? spacing[0] * spacing[1] : 1),
 * });
 * ```
 */
export function registerShapeProperty(definition: ShapePropertyDefinition): () => void {
  const { name, compute } = definition;
  if (registry.has(name)) throw new InvalidArgumentError(`property "${name}" already exists`);
  if (name in PROPERTY_ALIASES) {
    throw new InvalidArgumentError(`"${name}" is a deprecated alias of ${PROPERTY_ALIASES[name]}`);
  }
  const shape = definition.shape ?? [];
  const power = definition.lengthPower ?? 0;
  const property: PropertyDefinition = {
    name,
    shape,
    integer: definition.integer,
    check: definition.check,
    unit: power
      ? (_flat, spaced) => lengthUnit(power, spaced)
      : definition.unit === undefined
        ? undefined
        : () => definition.unit,
    compute: (region, out) => {
      const value = compute(region.mask(), {
        label: region.label,
        bbox: region.bbox,
        pixelCount: region.pixelCount,
        spacing: region.spacing,
      });
      storeValue(name, shape, value, out);
    },
  };
  registry.set(name, property);
  return () => {
    if (registry.get(name) === property) registry.delete(name);
  };
}

/**
 * A user-defined property for one `regionprops` call, as skimage's `extra_properties`: a function
 * of the object's cropped binary image and, if it reads intensity, of that crop of the intensity
 * (0 outside the object, the image's dtype), called once per channel.
 */
export interface CustomProperty {
  /** Column name; must not be a property `regionprops` already knows. */
  readonly name: string;
  /** Shape of the returned value: `[]` (default) for a number, `[n]` for n columns, … */
  readonly shape?: readonly number[];
  /**
   * The function reads the intensity image (then one value per channel, channel last in the
   * column name). Default: it declares a second parameter, as skimage decides by arity.
   */
  readonly intensity?: boolean;
  /** Unit of the value, for `table.metadata.units`. */
  readonly unit?: string;
  readonly compute: (mask: Mask, intensity: Plane) => number | ArrayLike<number>;
}

/** The registry entry for a {@link CustomProperty}; it is never registered globally. */
export function customPropertyDefinition(custom: CustomProperty): PropertyDefinition {
  const { name, compute, unit } = custom;
  if (typeof name !== 'string' || name === '' || typeof compute !== 'function') {
    throw new InvalidArgumentError('a custom property needs a name and a compute function');
  }
  if (registry.has(name) || name in PROPERTY_ALIASES) {
    throw new InvalidArgumentError(`custom property "${name}" is already a built-in property`);
  }
  const readsIntensity = custom.intensity ?? compute.length >= 2;
  const shape = custom.shape ?? [];
  return {
    name,
    shape,
    perChannel: readsIntensity,
    needs: readsIntensity ? { intensity: true } : undefined,
    unit: unit === undefined ? undefined : () => unit,
    compute: (region, out, channel) => {
      const crop = readsIntensity ? region.intensityCrop(channel) : EMPTY_PLANE;
      storeValue(name, shape, compute(region.mask(), crop), out);
    },
  };
}

const EMPTY_PLANE: Plane = { width: 0, height: 0, data: new Float64Array(0) };

/** Writes a property function's result into `out`, checking it has the declared shape. */
function storeValue(
  name: string,
  shape: readonly number[],
  value: number | ArrayLike<number>,
  out: Float64Array,
): void {
  const size = shape.reduce((a, b) => a * b, 1);
  if (typeof value === 'number') {
    if (size !== 1) throw new InvalidArgumentError(`${name} returned 1 value, not ${size}`);
    out[0] = value;
  } else {
    if (value?.length !== size) {
      throw new InvalidArgumentError(`${name} returned ${value?.length} values, not ${size}`);
    }
    copyInto(out, value);
  }
}

/** Every property name `regionprops` accepts now (current names; deprecated aliases aside). */
export function knownProperties(): string[] {
  return [...registry.keys()].sort();
}

/** The definition behind a requested name (current or deprecated), or an error that lists them. */
export function resolveProperty(requested: string): PropertyDefinition {
  const name = PROPERTY_ALIASES[requested] ?? requested;
  const found = registry.get(name);
  if (found) return found;
  const alias = name === requested ? '' : ` (deprecated name of ${name})`;
  let why = 'unknown property';
  if (IMAGE_VALUED.includes(name)) why = 'image-valued, not a table column';
  throw new InvalidArgumentError(
    `${why}: "${requested}"${alias}; the properties are ${knownProperties().join(', ')}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Shape properties from src/measure/shape/, computed on the object's cropped image. Perimeter,
// circularity, convex area, solidity and the Feret diameters come from the outline pass instead
// (outline-properties.ts), with the same values.

/** Scale factor for a length (isotropic spacing) or an area. */
const lengthScale = (region: ShapeRegion): number => region.spacing?.[0] ?? 1;
const areaScale = (region: ShapeRegion): number =>
  region.spacing ? region.spacing[0] * region.spacing[1] : 1;

registerShapeProperty({
  name: 'perimeter_crofton',
  lengthPower: 1,
  check: isotropicSpacingOnly('perimeter_crofton'),
  compute: (mask, region) => perimeterCrofton(mask) * lengthScale(region),
});
registerShapeProperty({
  name: 'euler_number',
  integer: true,
  compute: (mask) => eulerNumber(mask),
});
registerShapeProperty({
  name: 'area_filled',
  lengthPower: 2,
  compute: (mask, region) => areaFilled(mask) * areaScale(region),
});
