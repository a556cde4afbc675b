import { decodeTiffArray } from '../src/io/tiff/read.js';
import type { NpyArray } from '../src/io/npy.js';
import type { Labels, Mask, Plane } from '../src/image/types.js';
import { HAS_SHARED, readSharedBytes, readSharedJson, readSharedNpy } from './shared.js';

/** Readers for `../shared/fixtures/skimage/manifest.json` (see that folder's README). */

export interface FileDescriptor {
  file: string;
  dtype: string;
  shape: number[];
  columns?: string[];
  description?: string;
}
export interface ScalarDescriptor {
  value: number | null;
  repr?: string;
  hex?: string;
  dtype: string;
}
export interface SkimageCase {
  id: string;
  group: string;
  function: string;
  args: Record<string, unknown>;
  inputs: Record<string, FileDescriptor>;
  outputs: Record<string, FileDescriptor | ScalarDescriptor>;
  [extra: string]: unknown;
}
interface Manifest {
  cases: SkimageCase[];
  property_name_aliases: Record<string, string>;
}

const manifest: Manifest | undefined = HAS_SHARED
  ? readSharedJson<Manifest>('fixtures/skimage/manifest.json')
  : undefined;

/** Every case of a group (`threshold`, `morphology`, `watershed`, …); empty without ../shared. */
export function skimageCases(group: string): SkimageCase[] {
  return manifest?.cases.filter((c) => c.group === group) ?? [];
}

export function skimageCase(id: string): SkimageCase {
  const found = manifest?.cases.find((c) => c.id === id);
  if (!found) throw new Error(`no skimage fixture case ${id}`);
  return found;
}

export function propertyNameAliases(): Record<string, string> {
  return manifest?.property_name_aliases ?? {};
}

/** Reads a file descriptor's array: `.npy` as is, the big `.tif` inputs through our own reader. */
export function loadArray(descriptor: FileDescriptor): NpyArray {
  const path = ['fixtures/skimage', descriptor.file] as const;
  if (descriptor.file.endsWith('.npy')) return readSharedNpy(...path);
  const tiff = decodeTiffArray(readSharedBytes(...path));
  return { dtype: tiff.dtype, shape: tiff.shape, data: tiff.data };
}

export function loadInput(c: SkimageCase, name: string): NpyArray {
  const descriptor = c.inputs[name];
  if (!descriptor) throw new Error(`${c.id} has no input ${name}`);
  return loadArray(descriptor);
}

export function loadOutput(c: SkimageCase, name: string): NpyArray {
  const descriptor = c.outputs[name];
  if (!descriptor || !('file' in descriptor))
    throw new Error(`${c.id} has no array output ${name}`);
  return loadArray(descriptor);
}

/** A scalar output, exactly (from its C99 hex form where given); NaN where not finite. */
export function scalarOutput(c: SkimageCase, name: string): number {
  const descriptor = c.outputs[name];
  if (!descriptor || !('value' in descriptor))
    throw new Error(`${c.id} has no scalar output ${name}`);
  if (descriptor.hex !== undefined) return parseHexFloat(descriptor.hex);
  return descriptor.value ?? NaN;
}

/** An argument with `"inf"` turned into Infinity (array arguments are read with loadInput). */
export function argument<T = unknown>(c: SkimageCase, name: string): T {
  const value = c.args[name];
  return (value === 'inf' ? Infinity : value === '-inf' ? -Infinity : value) as T;
}

/** Parses C99 hex floats such as `0x1.8p+3`, `-0x0p+0`, `inf`, `nan`. */
export function parseHexFloat(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'nan') return NaN;
  if (t === 'inf' || t === '+inf' || t === 'infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  const match = /^([+-]?)0x([0-9a-f]+)(?:\.([0-9a-f]*))?p([+-]?\d+)$/.exec(t);
  if (!match) return Number(t);
  const [, sign, whole, fraction = '', exponent] = match;
  let mantissa = parseInt(whole, 16);
  for (let i = 0; i < fraction.length; i++) mantissa += parseInt(fraction[i], 16) / 16 ** (i + 1);
  const value = mantissa * 2 ** Number(exponent);
  return sign === '-' ? -value : value;
}

/** A 2-D fixture array as a Plane (the array's own typed data, no copy). */
export function npyPlane(array: NpyArray): Plane {
  const [height, width] = array.shape;
  return { width, height, data: array.data as Plane['data'] };
}

/** A 2-D integer fixture array (int32/int64 scenes, non-negative) as Labels. */
export function npyLabels(array: NpyArray): Labels {
  const [height, width] = array.shape;
  return { width, height, data: Uint32Array.from(array.data as ArrayLike<number>, Number) };
}

/** A 2-D bool fixture array as a Mask (one byte per pixel, 0/1). */
export function npyMask(array: NpyArray): Mask {
  const [height, width] = array.shape;
  return { width, height, data: array.data as Uint8Array };
}
