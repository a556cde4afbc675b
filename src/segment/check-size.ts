import { InvalidArgumentError } from '../errors.js';

/**
 * Throws unless `diameterPx` is an object diameter a `width × height` image can hold: from 1 px
 * to the image's larger side. Checked before any work, since the size-dependent steps allocate
 * by it (a 1e5 px diameter once asked V8 for a 3.4 GB footprint).
 */
export function checkDiameter(
  diameterPx: number,
  width: number,
  height: number,
  what = 'diameter',
): number {
  const largest = Math.max(width, height);
  if (!(diameterPx >= 1 && diameterPx <= largest)) {
    throw new InvalidArgumentError(
      `${what} ${diameterPx} px does not fit the ${width} × ${height} image`,
      { hint: `give a diameter from 1 to ${largest} px, or auto` },
    );
  }
  return diameterPx;
}

/**
 * Throws unless `value` (a smoothing σ, a radius, a distance in px) is ≥ 0 and no larger than the
 * image's larger side, beyond which it changes nothing but the running time.
 */
export function checkLength(value: number, width: number, height: number, what: string): number {
  const largest = Math.max(width, height);
  if (!(value >= 0 && value <= largest)) {
    throw new InvalidArgumentError(
      `${what} ${value} px does not fit the ${width} × ${height} image`,
      { hint: `give 0 to ${largest} px` },
    );
  }
  return value;
}
