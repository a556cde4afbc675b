import { InvalidArgumentError } from '../../errors.js';
import { checkSize } from '../../image/validate.js';
import type { FlowField } from './types.js';

export function checkFlowField(dP: FlowField<Float32Array | Float64Array>, what = 'dP'): void {
  checkSize(what, dP.width, dP.height, 1);
  if (dP.data.length !== 2 * dP.width * dP.height) {
    throw new InvalidArgumentError(
      `${what} has ${dP.data.length} values, expected 2 × ${dP.height} × ${dP.width} ([dY, dX] planes)`,
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
