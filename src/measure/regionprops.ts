import { InvalidArgumentError } from '../errors.js';
import type { Labels, PixelArray, Plane, Stack } from '../image/types.js';
import { accumulateRegions, type AccumulateOptions } from './accumulate.js';
import {
  customPropertyDefinition,
  resolveProperty,
  type CustomProperty,
  type PropertyContext,
  type PropertyDefinition,
} from './properties.js';
import { outlinePass } from './outline-pass.js';
import { Region, type RegionSet } from './region.js';
import { createTable, type Table } from '../table/table.js';

export interface RegionpropsOptions {
  /**
   * Intensity image for the `intensity_*`, `*_weighted*` properties. A plane gives one column per
   * value (`intensity_mean`); a stack of several planes one per channel, the channel as last
   * index (`intensity_mean-0`, `centroid_weighted-<axis>-<channel>`), as skimage does for an
   * (H, W, C) image. A stack of one plane counts as one plane.
   */
  intensity?: Plane | Stack;
  /**
   * skimage property names (deprecated ones included; the column keeps the name asked for).
   * @default ['label', 'bbox']
   */
  properties?: readonly string[];
  /**
   * `[row, col]` pixel size in µm. Areas then come in µm², lengths, centroids and moments in µm
   * (powers thereof), as skimage ≥ 0.20's `spacing`; `bbox` stays in pixels. Without it every
   * unit is the pixel.
   */
  spacing?: readonly [number, number];
  /** User-defined properties (skimage's `extra_properties`), as columns after `properties`. */
  extraProperties?: readonly CustomProperty[];
}

/**
 * Measures every labelled object, as scikit-image's `regionprops_table`: one row per label
 * present (ascending), columns named as skimage names them (`centroid-0`, `moments-1-2`, …).
 * Values follow skimage 0.19.3's definitions; `table.metadata.units` gives each column's unit.
 *
 * One pass over the label image (and the intensity under each object) gathers per-object sums;
 * shape properties additionally crop each object's binary image, and median/std (and means of
 * float images, summed in NumPy's order) re-read each object's intensities within its bbox.
 */
export function regionprops(labels: Labels, options: RegionpropsOptions = {}): Table {
  const { width, height } = labels;
  if (labels.data.length !== width * height) {
    throw new InvalidArgumentError(
      `labels hold ${labels.data.length} values for ${width}×${height} pixels`,
    );
  }
  const planes = intensityPlanes(options.intensity, width, height);
  const spacing = checkSpacing(options.spacing);
  const context: PropertyContext = {
    channels: planes.length,
    multichannel: planes.length > 1,
    spacing,
  };

  const extras = (options.extraProperties ?? []).map(customPropertyDefinition);
  const extraNames = extras.map((e) => e.name);
  if (new Set(extraNames).size !== extraNames.length) {
    throw new InvalidArgumentError(
      `extraProperties names must be unique: ${extraNames.join(', ')}`,
    );
  }
  // A custom name may also be listed in `properties`, to place its columns.
  const requested = [...new Set([...(options.properties ?? ['label', 'bbox']), ...extraNames])];
  const properties = requested.map((name) => {
    const definition = extras.find((e) => e.name === name) ?? resolveProperty(name);
    if (definition.needs?.intensity && planes.length === 0) {
      throw new InvalidArgumentError(`${name} needs an intensity image`);
    }
    definition.check?.(context);
    return definition;
  });

  const pass: AccumulateOptions = { intensity: planes };
  for (const { needs } of properties) {
    pass.sum ||= needs?.sum;
    pass.minMax ||= needs?.minMax;
    pass.weighted ||= needs?.weighted;
  }
  const sums = accumulateRegions(labels, pass);
  const perimeter = properties.some((p) => p.needs?.perimeter);
  const rowExtents = properties.some((p) => p.needs?.rowExtents);
  const outline =
    perimeter || rowExtents ? outlinePass(labels, sums, { perimeter, rowExtents }) : undefined;

  let largest = 0;
  for (let k = 0; k < sums.count; k++) largest = Math.max(largest, sums.pixels[k]);
  const first = planes[0] as PixelArray | undefined;
  const set: RegionSet = {
    sums,
    outline,
    labels,
    planes,
    spacing: spacing ?? [1, 1],
    givenSpacing: spacing,
    multichannel: context.multichannel,
    float32: first instanceof Float32Array,
    float: first instanceof Float32Array || first instanceof Float64Array,
    largest,
    valuesHeld: { channel: -1 },
  };

  // Rows in ascending label order; objects are numbered by first appearance.
  const order = Array.from({ length: sums.count }, (_, k) => k).sort(
    (a, b) => sums.labels[a] - sums.labels[b],
  );

  const layouts = properties.map((definition, i) =>
    layoutOf(definition, requested[i], context, sums.count),
  );
  for (let row = 0; row < order.length; row++) {
    const region = new Region(set, order[row]);
    for (const { definition, columns, buffer, channels } of layouts) {
      for (let channel = 0; channel < channels; channel++) {
        definition.compute(region, buffer, channel);
        for (let flat = 0; flat < buffer.length; flat++) {
          columns[flat * channels + channel][row] = buffer[flat];
        }
      }
    }
  }

  const columns: Record<string, Float64Array> = {};
  const units: Record<string, string> = {};
  for (const { names, columns: values, units: columnUnits } of layouts) {
    names.forEach((name, i) => {
      columns[name] = values[i];
      if (columnUnits[i] !== undefined) units[name] = columnUnits[i];
    });
  }
  return createTable(columns, { units });
}

interface Layout {
  definition: PropertyDefinition;
  /** Column names, in skimage's order (C order over the value's shape, channel last). */
  names: string[];
  columns: Float64Array[];
  units: (string | undefined)[];
  /** One object's value for one channel. */
  buffer: Float64Array;
  /** Times `compute` runs per object: the channels for per-channel properties, else 1. */
  channels: number;
}

function layoutOf(
  definition: PropertyDefinition,
  requested: string,
  context: PropertyContext,
  rows: number,
): Layout {
  const channels = definition.perChannel ? context.channels : 1;
  const shape =
    context.multichannel && definition.perChannel
      ? [...definition.shape, channels]
      : definition.shape;
  const size = definition.shape.reduce((a, b) => a * b, 1);
  const names: string[] = [];
  const units: (string | undefined)[] = [];
  const total = size * channels;
  for (let i = 0; i < total; i++) {
    // C-order index over `shape`, last axis fastest, as numpy's ndindex.
    const index: number[] = [];
    for (let axis = shape.length - 1, rest = i; axis >= 0; axis--) {
      index.unshift(rest % shape[axis]);
      rest = Math.floor(rest / shape[axis]);
    }
    names.push([requested, ...index].join('-'));
    units.push(definition.unit?.(Math.floor(i / channels), context.spacing !== undefined));
  }
  return {
    definition,
    names,
    columns: names.map(() => new Float64Array(rows)),
    units,
    buffer: new Float64Array(size),
    channels,
  };
}

function intensityPlanes(
  intensity: Plane | Stack | undefined,
  width: number,
  height: number,
): PixelArray[] {
  if (intensity === undefined) return [];
  const planes = 'planes' in intensity ? intensity.planes : [intensity];
  if (planes.length === 0) throw new InvalidArgumentError('the intensity stack has no planes');
  const kind = planes[0].data.constructor;
  for (const plane of planes) {
    if (plane.width !== width || plane.height !== height) {
      throw new InvalidArgumentError(
        `intensity is ${plane.width}×${plane.height}, labels are ${width}×${height}`,
      );
    }
    if (plane.data.constructor !== kind) {
      throw new InvalidArgumentError('all intensity planes must have the same dtype');
    }
  }
  return planes.map((plane) => plane.data);
}

function checkSpacing(
  spacing: readonly [number, number] | undefined,
): [number, number] | undefined {
  if (spacing === undefined) return undefined;
  if (
    spacing.length !== 2 ||
    !spacing.every((s) => typeof s === 'number' && Number.isFinite(s) && s > 0)
  ) {
    throw new InvalidArgumentError(
      `spacing must be two positive numbers [row, col] in µm, got [${spacing.join(', ')}]`,
    );
  }
  return [spacing[0], spacing[1]];
}
