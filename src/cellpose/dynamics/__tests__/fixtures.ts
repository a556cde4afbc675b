import type { Labels } from '../../../image/types.js';
import type { NpyArray } from '../../../io/npy.js';
import { HAS_SHARED, readSharedJson, readSharedNpy } from '../../../../test/shared.js';
import type { CellProbability, FlowField } from '../types.js';

/** The parts of `fixtures/cellpose/manifest.json` these tests read. */
export interface FileEntry {
  file: string;
  shape: number[];
}
export interface FlowsCase {
  labels: FileEntry;
  flows: FileEntry;
  centers_yx: [number, number][];
  diffusion_iterations_per_label: number[];
}
export interface MasksCase {
  params: {
    niter: number;
    cellprob_threshold: number;
    flow_threshold: number;
    interp: boolean;
    min_size: number;
    max_size_fraction: number;
    resize: [number, number] | null;
  };
  dP?: FileEntry;
  cellprob?: FileEntry;
  n_foreground: number;
  p_final: FileEntry;
  masks_raw: FileEntry;
  flow_errors: number[];
  masks: FileEntry;
  n_masks: number;
  inputs_from?: string;
}
export interface Manifest {
  flows: Record<string, FlowsCase | string>;
  masks: Record<string, MasksCase | string>;
  transforms: { resize: Record<string, FileEntry> };
}

/** The manifest, or empty sections when the shared fixtures are absent (the suites skip then). */
export const manifest = (): Manifest =>
  HAS_SHARED
    ? readSharedJson<Manifest>('fixtures', 'cellpose', 'manifest.json')
    : { flows: {}, masks: {}, transforms: { resize: {} } };

export function npy(entry: FileEntry): NpyArray {
  return readSharedNpy('fixtures', 'cellpose', ...entry.file.split('/'));
}

/** The cases of a manifest section (entries that are objects, not descriptions). */
export function cases<T>(section: Record<string, T | string>): [string, T][] {
  return Object.entries(section).filter((e): e is [string, T] => typeof e[1] === 'object');
}

export function labelsOf(array: NpyArray): Labels {
  const [height, width] = array.shape;
  return { width, height, data: Uint32Array.from(array.data as ArrayLike<number>) };
}

export function flowsOf(array: NpyArray): FlowField {
  const [, height, width] = array.shape;
  return { width, height, data: array.data as Float32Array };
}

export function cellprobOf(array: NpyArray): CellProbability {
  const [height, width] = array.shape;
  return { width, height, data: array.data as Float32Array };
}

/** A masks case's dP and cellprob, following `inputs_from`. */
export function masksInputs(
  m: Manifest,
  name: string,
): { dP: FlowField; cellprob: CellProbability; spec: MasksCase } {
  const spec = m.masks[name] as MasksCase;
  const source = m.masks[spec.inputs_from ?? name] as MasksCase;
  return {
    dP: flowsOf(npy(source.dP as FileEntry)),
    cellprob: cellprobOf(npy(source.cellprob as FileEntry)),
    spec,
  };
}

/** Number of positions where two arrays differ (`!==`), or −1 when the lengths differ. */
export function countDiffering(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return -1;
  let differing = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++;
  return differing;
}
