/** Outline and placement helpers shared by the synthetic-image generators. */

/** Angular samples of star-shaped outlines (radius tables indexed by angle). */
export const ANGLES = 256;

/** A sum of harmonics with random phases: θ ↦ Σₘ wₘ·U(0.3, 1)·cos(mθ + φₘ). */
export function harmonics(random: () => number, weights: number[]): (theta: number) => number {
  const terms = weights
    .map((w, m) => ({ m, amplitude: w * (0.3 + 0.7 * random()), phase: 2 * Math.PI * random() }))
    .filter((t) => t.amplitude > 0);
  return (theta) => {
    let sum = 0;
    for (const t of terms) sum += t.amplitude * Math.cos(t.m * theta + t.phase);
    return sum;
  };
}

/** The tabulated radius at angle phi (radians, any range), linearly interpolated. */
export function radiusAt(table: Float32Array, phi: number): number {
  let t = (phi / (2 * Math.PI)) * ANGLES;
  t -= Math.floor(t / ANGLES) * ANGLES;
  const k = Math.floor(t);
  const f = t - k;
  return table[k % ANGLES] * (1 - f) + table[(k + 1) % ANGLES] * f;
}

/**
 * Clears the pixels of each cell that are not 4-connected to its centre, so every cell is one
 * piece (a neighbour's outline can cut a thin lobe off).
 */
export function keepConnectedToCentre(
  owner: Uint32Array,
  width: number,
  height: number,
  centres: readonly { y: number; x: number }[],
): void {
  const reached = new Uint8Array(owner.length);
  const queue = new Int32Array(owner.length);
  centres.forEach((cell, k) => {
    const start = Math.round(cell.y) * width + Math.round(cell.x);
    if (owner[start] !== k + 1) return;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    reached[start] = 1;
    while (head < tail) {
      const i = queue[head++];
      const x = i % width;
      const visit = (j: number): void => {
        if (owner[j] === k + 1 && !reached[j]) {
          reached[j] = 1;
          queue[tail++] = j;
        }
      };
      if (x > 0) visit(i - 1);
      if (x < width - 1) visit(i + 1);
      if (i >= width) visit(i - width);
      if (i + width < owner.length) visit(i + width);
    }
  });
  for (let i = 0; i < owner.length; i++) if (owner[i] !== 0 && !reached[i]) owner[i] = 0;
}

/** 0 … n−1 in a random order. */
export function shuffled(n: number, random: () => number): number[] {
  const order = Array.from({ length: Math.max(0, n) }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export function clamp(value: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, value));
}

/** The pixels within `reach` of (cy, cx), clipped to the image: inclusive [y0, y1, x0, x1]. */
export function clippedBox(
  cy: number,
  cx: number,
  reach: number,
  width: number,
  height: number,
): [number, number, number, number] {
  return [
    Math.max(0, Math.floor(cy - reach)),
    Math.min(height - 1, Math.ceil(cy + reach)),
    Math.max(0, Math.floor(cx - reach)),
    Math.min(width - 1, Math.ceil(cx + reach)),
  ];
}
