// Declarative table: the shape properties regionprops computes from its outline pass (see
// outline-pass.ts) instead of from each object's cropped image, with the same values.
import {
  isotropicSpacingOnly,
  lengthUnit,
  type PropertyDefinition,
} from './property-definition.js';
import type { Region } from './region.js';
import { feretDiameterMaxOfRows } from './shape/feret-diameter-max.js';
import { feretDiameterMinOfRows, type FeretMin } from './shape/feret-diameter-min.js';
import { hullRows } from './shape/hull.js';

const length = (_flat: number, spaced: boolean): string | undefined => lengthUnit(1, spaced);
const area = (_flat: number, spaced: boolean): string | undefined => lengthUnit(2, spaced);

/** Scale factor for a length (isotropic spacing) or an area. */
const lengthScale = (region: Region): number => region.spacing?.[0] ?? 1;
const areaScale = (region: Region): number =>
  region.spacing ? region.spacing[0] * region.spacing[1] : 1;

/** Diameter and angle share one caliper search per object. */
const feretMinCache = new WeakMap<Region, FeretMin>();
function feretMinOf(region: Region): FeretMin {
  let found = feretMinCache.get(region);
  if (!found) feretMinCache.set(region, (found = feretDiameterMinOfRows(region.rowExtents())));
  return found;
}

const PERIMETER = { perimeter: true } as const;
const ROWS = { rowExtents: true } as const;

export const OUTLINE_PROPERTIES: PropertyDefinition[] = [
  {
    name: 'perimeter',
    shape: [],
    needs: PERIMETER,
    unit: length,
    check: isotropicSpacingOnly('perimeter'),
    compute: (region, out) => {
      out[0] = region.perimeter() * lengthScale(region);
    },
  },
  /** 4π·area / perimeter² with skimage's perimeter (ImageJ "Circ.", CellProfiler "FormFactor"). */
  {
    name: 'circularity',
    shape: [],
    needs: PERIMETER,
    check: isotropicSpacingOnly('circularity'),
    compute: (region, out) => {
      const p = region.perimeter();
      out[0] = p > 0 ? (4 * Math.PI * region.pixelCount) / (p * p) : NaN;
    },
  },
  {
    name: 'area_convex',
    shape: [],
    needs: ROWS,
    unit: area,
    compute: (region, out) => {
      out[0] = hullRows(region.rowExtents()).area * areaScale(region);
    },
  },
  {
    name: 'solidity',
    shape: [],
    needs: ROWS,
    compute: (region, out) => {
      out[0] = region.pixelCount / hullRows(region.rowExtents()).area;
    },
  },
  {
    name: 'feret_diameter_max',
    shape: [],
    needs: ROWS,
    unit: length,
    check: isotropicSpacingOnly('feret_diameter_max'),
    compute: (region, out) => {
      out[0] = feretDiameterMaxOfRows(region.rowExtents()) * lengthScale(region);
    },
  },
  // Extras analysts ask for (not in scikit-image).
  {
    name: 'feret_diameter_min',
    shape: [],
    needs: ROWS,
    unit: length,
    check: isotropicSpacingOnly('feret_diameter_min'),
    compute: (region, out) => {
      out[0] = feretMinOf(region).diameter * lengthScale(region);
    },
  },
  /** Direction of the minimum Feret diameter, degrees in [0, 180) (see {@link FeretMin.angle}). */
  {
    name: 'feret_diameter_min_angle',
    shape: [],
    needs: ROWS,
    unit: () => 'deg',
    compute: (region, out) => {
      out[0] = feretMinOf(region).angle;
    },
  },
];
