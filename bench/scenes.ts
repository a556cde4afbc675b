import type { Labels, Mask, Plane } from '../src/image/types.js';
import { normalRandom, seededRandom } from '../src/synth/random.js';

export interface FluorescenceSceneOptions {
  /** Width and height in pixels. @default 2048 */
  size?: number;
  /** Nuclei painted, on a jittered grid sized to hold them. @default 3000 */
  objects?: number;
  /** Bright 1–9 px specks of debris, added after the nuclei. @default round(objects / 10) */
  specks?: number;
  /** Same seed, same scene, on every machine. @default 1 */
  seed?: number;
}

export interface FluorescenceScene {
  /** 12-bit camera image: blurred nuclei on an unevenly lit background, shot and read noise. */
  image: Plane<Uint16Array>;
  /** Where the objects are: `labels > 0`. */
  mask: Mask;
  /** Nuclei 1..objects (later ones paint over earlier ones), then the specks left visible. */
  labels: Labels;
  objects: number;
  specks: number;
  /** Mean equivalent diameter (2·√(ry·rx)) of the nuclei drawn, for size-dependent settings. */
  diameterPx: number;
}

const BACKGROUND = 150;
const READ_NOISE = 6;

/**
 * The scene the segment benches and the scikit-image comparison share: rotated elliptical
 * nuclei 28–38 px across (mean ≈ 33) on a jittered grid, so many touch or overlap; a quarter of
 * them with a dark nucleolus (a hole in the mask, work for fillHoles); bright specks of debris
 * (work for removeSmallObjects). At 2048² and 3,000 nuclei ~60% of the pixels are foreground,
 * in ~1,800 connected components, and Otsu's threshold keeps ~88% of pixels on the right side.
 */
export function fluorescenceScene(options: FluorescenceSceneOptions = {}): FluorescenceScene {
  const size = options.size ?? 2048;
  const objects = options.objects ?? 3000;
  const specks = options.specks ?? Math.round(objects / 10);
  const random = seededRandom(options.seed ?? 1);
  const normal = normalRandom(random);
  const n = size * size;

  // Nuclei combine by maximum, as touching nuclei look in one focal plane.
  const signal = new Float32Array(n);
  const labels = new Uint32Array(n);
  const columns = Math.ceil(Math.sqrt(objects));
  const rows = Math.ceil(objects / columns);
  const pitchX = size / columns;
  const pitchY = size / rows;
  // A random `objects` of the rows × columns cells (partial Fisher–Yates), painted in that order.
  const cells = Int32Array.from({ length: rows * columns }, (_, i) => i);
  let diameterSum = 0;
  for (let k = 0; k < objects; k++) {
    const pick = k + Math.floor(random() * (cells.length - k));
    [cells[k], cells[pick]] = [cells[pick], cells[k]];
    const cy = (Math.floor(cells[k] / columns) + 0.5 + (random() - 0.5) * 0.3) * pitchY;
    const cx = ((cells[k] % columns) + 0.5 + (random() - 0.5) * 0.3) * pitchX;
    const ry = 14 + random() * 5;
    const rx = 14 + random() * 5;
    const angle = random() * Math.PI;
    const hole = random() < 0.25 ? 0.2 + random() * 0.2 : 0;
    const brightness = 1200 + random() * 800;
    diameterSum += 2 * Math.sqrt(ry * rx);
    paintNucleus(signal, labels, size, k + 1, { cy, cx, ry, rx, angle, hole, brightness });
  }

  for (let k = 0; k < specks; k++) {
    const side = 1 + Math.floor(random() * 3);
    const y0 = Math.floor(random() * (size - side));
    const x0 = Math.floor(random() * (size - side));
    const brightness = 1500 + random() * 1500;
    for (let y = y0; y < y0 + side; y++) {
      for (let i = y * size + x0; i < y * size + x0 + side; i++) {
        signal[i] += brightness;
        if (labels[i] === 0) labels[i] = objects + 1 + k;
      }
    }
  }

  const image = new Uint16Array(n);
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const dy = (Math.floor(i / size) - size / 2) / (size / 2);
    const dx = ((i % size) - size / 2) / (size / 2);
    // Vignetting and a slow left-to-right gradient.
    const mean = signal[i] + BACKGROUND * (1 - 0.3 * (dx * dx + dy * dy)) * (0.9 + 0.1 * dx);
    const value = mean + normal() * Math.sqrt(mean + READ_NOISE * READ_NOISE);
    image[i] = Math.max(0, Math.min(4095, Math.round(value)));
    mask[i] = labels[i] === 0 ? 0 : 1;
  }
  return {
    image: { width: size, height: size, data: image },
    mask: { width: size, height: size, data: mask },
    labels: { width: size, height: size, data: labels },
    objects,
    specks,
    diameterPx: objects > 0 ? diameterSum / objects : 0,
  };
}

interface Nucleus {
  cy: number;
  cx: number;
  ry: number;
  rx: number;
  angle: number;
  /** Radius of the nucleolus as a fraction of the nucleus; 0 = none. */
  hole: number;
  brightness: number;
}

/** A flat ellipse with a Gaussian rim (σ 1.5 px: a blurred disc) into the signal, by maximum. */
function paintNucleus(
  signal: Float32Array,
  labels: Uint32Array,
  size: number,
  id: number,
  { cy, cx, ry, rx, angle, hole, brightness }: Nucleus,
): void {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const radius = Math.sqrt(ry * rx);
  const reach = Math.ceil(Math.max(ry, rx) + 5);
  const y1 = Math.min(size - 1, cy + reach);
  const x1 = Math.min(size - 1, cx + reach);
  for (let y = Math.max(0, Math.floor(cy - reach)); y <= y1; y++) {
    for (let x = Math.max(0, Math.floor(cx - reach)); x <= x1; x++) {
      const u = ((y - cy) * cos + (x - cx) * sin) / ry;
      const v = (-(y - cy) * sin + (x - cx) * cos) / rx;
      const r = Math.sqrt(u * u + v * v);
      const outside = (r - 1) * radius;
      let level = outside <= 0 ? 1 : Math.exp(-(outside * outside) / 4.5);
      // The nucleolus: 15% bright inside `hole`, recovering over ~1.5 px.
      if (hole > 0 && r > hole) level *= 1 - 0.85 * Math.exp(-(((r - hole) * radius) ** 2) / 4.5);
      else if (hole > 0) level *= 0.15;
      const i = y * size + x;
      signal[i] = Math.max(signal[i], brightness * level);
      if (r <= 1 && r > hole) labels[i] = id;
    }
  }
}
