// The viridis colour map (matplotlib's default; perceptually uniform, readable in greyscale
// and by most colour-blind readers) for colouring objects by a measurement.
import type { Rgb } from './protocol.js';

// matplotlib's viridis at 0, 1/9, …, 1 (hex from its listed colour map), linearly interpolated.
const STOPS: Rgb[] = [
  '440154',
  '482878',
  '3e4989',
  '31688e',
  '26828e',
  '1f9e89',
  '35b779',
  '6ece58',
  'b5de2b',
  'fde725',
].map((hex) => [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb);

/** Colour of `t` in [0, 1] (clipped; NaN gives undefined). */
export function viridis(t: number): Rgb | undefined {
  if (Number.isNaN(t)) return undefined;
  const u = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(u));
  const f = u - i;
  const [a, b] = [STOPS[i], STOPS[i + 1]];
  return [0, 1, 2].map((c) => Math.round(a[c] + f * (b[c] - a[c]))) as Rgb;
}

/** The CSS gradient of the colour map, for legends. */
export function viridisGradient(): string {
  const stops = STOPS.map(
    ([r, g, b], i) => `rgb(${r} ${g} ${b}) ${((100 * i) / (STOPS.length - 1)).toFixed(1)}%`,
  );
  return `linear-gradient(to right, ${stops.join(', ')})`;
}
