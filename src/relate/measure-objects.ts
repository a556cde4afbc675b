import { InvalidArgumentError } from '../errors.js';
import { shortChannelNames } from '../image/channel-names.js';
import { channelIndex } from '../image/stack.js';
import type { Labels, Plane, Stack } from '../image/types.js';
import { regionprops } from '../measure/regionprops.js';
import { numericColumn } from '../table/table.js';
import { checkSameSize } from '../image/validate.js';

/** Internal helpers shared by measureCells and measureNuclei. */

/** One measured channel: its plane index in the stack and the suffix of its columns. */
export interface ChannelColumn {
  /** 0-based plane index in the stack. */
  index: number;
  /** Name in the stack's `channelNames`. */
  name: string;
  /** Column suffix: `ch<index + 1>` or the sanitised stack name. */
  suffix: string;
}

/** Which channels to measure and how to name their columns. */
export interface ChannelSelection {
  channels?: readonly (number | string)[];
  channelNames?: 'index' | 'stack' | 'auto';
}

/** The channels to measure, with unique column suffixes. */
export function channelColumns(stack: Stack, options: ChannelSelection): ChannelColumn[] {
  const naming = options.channelNames ?? 'index';
  if (naming !== 'index' && naming !== 'stack' && naming !== 'auto') {
    throw new InvalidArgumentError(
      `channelNames must be 'index', 'stack' or 'auto', got "${naming}"`,
    );
  }
  const indices = (options.channels ?? stack.planes.map((_, i) => i)).map((c) =>
    channelIndex(stack, c),
  );
  const named = naming === 'auto' ? knownChannelSuffixes(stack.channelNames) : undefined;
  const suffix = (index: number): string =>
    naming === 'stack'
      ? columnSafe(stack.channelNames[index], index)
      : (named?.[index] ?? `ch${index + 1}`);
  const columns = indices.map((index) => ({
    index,
    name: stack.channelNames[index],
    suffix: suffix(index),
  }));
  const seen = new Set<string>();
  for (const { suffix, name } of columns) {
    if (seen.has(suffix)) {
      throw new InvalidArgumentError(
        `two measured channels would both give columns named *_${suffix} (channel "${name}")`,
        { hint: "measure each channel once, or use channelNames: 'index'" },
      );
    }
    seen.add(suffix);
  }
  return columns;
}

/**
 * Column suffixes from the channel names, for `channelNames: 'auto'`: the short names (a prefix
 * every name shares dropped, as one-file-per-channel stems have), made column-safe. Undefined,
 * so every channel falls back to `ch<k>`, when the names are the readers' `C0`, `C1`, … or some
 * would be empty or alike.
 */
function knownChannelSuffixes(names: readonly string[]): string[] | undefined {
  if (names.every((name, k) => name === `C${k}`)) return undefined;
  const safe = shortChannelNames(names).map((name) =>
    name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, ''),
  );
  return safe.includes('') || new Set(safe).size < safe.length ? undefined : safe;
}

/** Letters, digits and `_` only, so the name works as a pandas attribute and in R. */
function columnSafe(name: string, index: number): string {
  const safe = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return safe === '' ? `ch${index + 1}` : safe;
}

/** Throws unless every plane of the stack is as large as the label images. */
export function checkStackSize(stack: Stack, labels: Labels): void {
  for (const plane of stack.planes) checkSameSize(plane, labels, 'the stack and the label images');
}

/** regionprops of one label image, looked up by label. */
export interface MeasuredObjects {
  /** Row of each label. */
  rowOf: Map<number, number>;
  column(name: string): Float64Array;
  /** `intensity_mean` per measured channel, in `channels` order. */
  means: Float64Array[];
  units: Record<string, string>;
}

export function measureObjects(
  labels: Labels,
  stack: Stack,
  channels: readonly ChannelColumn[],
  properties: readonly string[],
  spacing: readonly [number, number] | undefined,
): MeasuredObjects {
  const planes: Plane[] = channels.map((c) => stack.planes[c.index]);
  // One plane gives skimage's plain `intensity_mean`, several `intensity_mean-<k>`.
  const intensity: Plane | Stack | undefined =
    planes.length === 0
      ? undefined
      : planes.length === 1
        ? planes[0]
        : { planes, channelNames: channels.map((c) => c.name), sourceAxes: 'CYX' };
  const table = regionprops(labels, {
    intensity,
    properties: intensity ? [...properties, 'intensity_mean'] : properties,
    spacing,
  });
  const label = numericColumn(table, 'label');
  const rowOf = new Map<number, number>();
  label.forEach((value, row) => rowOf.set(value, row));
  return {
    rowOf,
    column: (name) => numericColumn(table, name),
    means: planes.map((_, k) =>
      numericColumn(table, planes.length === 1 ? 'intensity_mean' : `intensity_mean-${k}`),
    ),
    units: table.metadata.units ?? {},
  };
}

/** The row of a label, or an error saying the relation is from other images. */
export function rowIn(rowOf: Map<number, number>, label: number, what: string): number {
  const row = rowOf.get(label);
  if (row === undefined) {
    throw new InvalidArgumentError(
      `${what} ${label} is in the relation but not in the label image; compute the relation from these label images`,
    );
  }
  return row;
}
