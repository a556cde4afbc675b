/**
 * Test helper: rasterises rings by the pixel-centre even-odd rule of ImageJ's PolygonFiller
 * (pixel (x, y) is inside when (x + 0.5, y + 0.5) is), written apart from the tracer.
 */
export function fillRings(
  rings: readonly (readonly number[])[],
  width: number,
  height: number,
): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const cy = y + 0.5;
    const crossings: number[] = [];
    for (const ring of rings) {
      const n = ring.length;
      for (let i = 0; i < n; i += 2) {
        const j = (i + 2) % n;
        const [x1, y1, x2, y2] = [ring[i], ring[i + 1], ring[j], ring[j + 1]];
        if (y1 > cy !== y2 > cy) crossings.push(x1 + ((cy - y1) * (x2 - x1)) / (y2 - y1));
      }
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Pixels whose centre x + 0.5 lies between a pair of crossings.
      const from = Math.max(0, Math.ceil(crossings[k] - 0.5));
      const to = Math.min(width - 1, Math.floor(crossings[k + 1] - 0.5));
      for (let x = from; x <= to; x++) mask[y * width + x] = 1;
    }
  }
  return mask;
}

/** A seeded generator (mulberry32), so random cases repeat. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random blobby labels: `count` labels painted as random discs and rectangles, overlapping. */
export function randomLabels(
  width: number,
  height: number,
  count: number,
  seed: number,
): { width: number; height: number; data: Uint32Array } {
  const random = seededRandom(seed);
  const data = new Uint32Array(width * height);
  for (let label = 1; label <= count; label++) {
    for (let shape = 0; shape < 3; shape++) {
      const cx = random() * width;
      const cy = random() * height;
      const r = 1 + random() * Math.min(width, height) * 0.2;
      const disc = random() < 0.5;
      for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(height, cy + r); y++) {
        for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(width, cx + r); x++) {
          if (!disc || (x - cx) ** 2 + (y - cy) ** 2 <= r * r) data[y * width + x] = label;
        }
      }
    }
    // Salt: isolated pixels and diagonal touches that stress 4-connectivity.
    for (let k = 0; k < 6; k++) {
      data[Math.floor(random() * height) * width + Math.floor(random() * width)] = label;
    }
  }
  return { width, height, data };
}
