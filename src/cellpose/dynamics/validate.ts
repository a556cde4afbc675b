import { InvalidArgumentError } from '../../errors.js';
import type { Labels, Plane } from '../../image/types.js';
import type { FlowField } from './types.js';

/** Throws unless `width` and `height` are positive integers. */
export function checkSize(what: string, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InvalidArgumentError(
      `${what} must be at least 1 × 1 pixels, got ${width} × ${height}`,
    );
  }
}

export function checkLabels(labels: Labels, what = 'labels'): void {
  checkSize(what, labels.width, labels.height);
  if (!(labels.data instanceof Uint32Array)) {
    throw new InvalidArgumentError(`${what} data must be a Uint32Array`);
  }
  if (labels.data.length !== labels.width * labels.height) {
    throw new InvalidArgumentError(
      `${what} data has ${labels.data.length} pixels, expected ${labels.width} × ${labels.height}`,
    );
  }
}

export function checkFlowField(dP: FlowField<Float32Array | Float64Array>, what = 'dP'): void {
  checkSize(what, dP.width, dP.height);
  if (dP.data.length !== 2 * dP.width * dP.height) {
    throw new InvalidArgumentError(
      `${what} has ${dP.data.length} values, expected 2 × ${dP.height} × ${dP.width} ([dY, dX] planes)`,
    );
  }
}

export function checkPlane(plane: Plane, what: string): void {
  checkSize(what, plane.width, plane.height);
  if (plane.data.length !== plane.width * plane.height) {
    throw new InvalidArgumentError(
      `${what} data has ${plane.data.length} pixels, expected ${plane.width} × ${plane.height}`,
    );
  }
}

export function checkSameSize(
  a: { width: number; height: number },
  b: { width: number; height: number },
  what: string,
): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new InvalidArgumentError(
      `${what}: sizes differ (${a.width} × ${a.height} vs ${b.width} × ${b.height})`,
    );
  }
}

/** Cellpose's `np.uint32(niter)`: a non-negative number, truncated. */
export function checkNiter(niter: number): number {
  if (typeof niter !== 'number' || !(niter >= 0) || niter > 0xffffffff) {
    throw new InvalidArgumentError(`niter must be a number in [0, 2^32 − 1], got ${niter}`);
  }
  return Math.trunc(niter);
}

export function checkNumber(value: number, what: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new InvalidArgumentError(`${what} must be a number, got ${String(value)}`);
  }
  return value;
}
