import { createStack } from '../src/image/stack.js';
import type { Stack } from '../src/image/types.js';
import { encodeTiff, type TiffCompression } from '../src/io/tiff/write.js';
import { normalRandom, seededRandom } from '../src/synth/random.js';

/** The benchmark image: 3 channels of 1011 rows × 1557 columns, uint16. */
export const HEIGHT = 1011;
export const WIDTH = 1557;

/**
 * A deterministic 3-channel widefield-like image from a 12-bit camera: nuclei (channel 0),
 * cytoplasm around them (1) and small spots (2) on an unevenly lit background, with shot and
 * read noise. Noise is what keeps real images from compressing more than about 1.5–2×.
 */
export function fluorescenceStack(seed = 1): Stack {
  const random = seededRandom(seed);
  const normal = normalRandom(random);
  const n = WIDTH * HEIGHT;
  const planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const background = [110, 160, 90];
  for (let y = 0; y < HEIGHT; y++) {
    const dy = (y - HEIGHT / 2) / (HEIGHT / 2);
    for (let x = 0; x < WIDTH; x++) {
      const dx = (x - WIDTH / 2) / (WIDTH / 2);
      const illumination = 1 - 0.3 * (dx * dx + dy * dy); // vignetting
      for (let c = 0; c < 3; c++) planes[c][y * WIDTH + x] = background[c] * illumination;
    }
  }
  const between = (low: number, high: number): number => low + (high - low) * random();
  for (let k = 0; k < 450; k++) {
    const y = between(0, HEIGHT);
    const x = between(0, WIDTH);
    const sy = between(5, 9);
    const sx = between(5, 9);
    addGaussian(planes[0], y, x, sy, sx, between(1200, 2800));
    addGaussian(planes[1], y, x, sy * 2.4, sx * 2.4, between(250, 800));
  }
  for (let k = 0; k < 1500; k++) {
    const s = between(1, 2.2);
    addGaussian(planes[2], between(0, HEIGHT), between(0, WIDTH), s, s, between(150, 1200));
  }
  const readNoise = 6;
  const data = planes.map((plane) => {
    const out = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      const mean = plane[i];
      const value = mean + normal() * Math.sqrt(mean + readNoise * readNoise);
      out[i] = Math.max(0, Math.min(4095, Math.round(value)));
    }
    return out;
  });
  return createStack(
    data.map((d) => ({ width: WIDTH, height: HEIGHT, data: d })),
    { channelNames: ['DNA', 'cytoplasm', 'spots'] },
  );
}

/** Adds an axis-aligned Gaussian spot (separable, cut at 3σ). */
function addGaussian(
  plane: Float32Array,
  cy: number,
  cx: number,
  sy: number,
  sx: number,
  amplitude: number,
): void {
  const y0 = Math.max(0, Math.floor(cy - 3 * sy));
  const y1 = Math.min(HEIGHT - 1, Math.ceil(cy + 3 * sy));
  const x0 = Math.max(0, Math.floor(cx - 3 * sx));
  const x1 = Math.min(WIDTH - 1, Math.ceil(cx + 3 * sx));
  const gx = new Float32Array(x1 - x0 + 1);
  for (let x = x0; x <= x1; x++) gx[x - x0] = Math.exp(-((x - cx) ** 2) / (2 * sx * sx));
  for (let y = y0; y <= y1; y++) {
    const gy = amplitude * Math.exp(-((y - cy) ** 2) / (2 * sy * sy));
    const row = y * WIDTH;
    for (let x = x0; x <= x1; x++) plane[row + x] += gy * gx[x - x0];
  }
}

export interface BenchFile {
  name: string;
  compression: TiffCompression;
  predictor: boolean;
  bytes: Uint8Array;
}

/** The stack as one 3-page TIFF per format, written by cellscope's own writer. */
export function benchmarkFiles(stack: Stack): BenchFile[] {
  const formats: [string, TiffCompression, boolean][] = [
    ['raw', 'none', false],
    ['deflate', 'deflate', false],
    ['deflate + predictor', 'deflate', true],
    ['LZW', 'lzw', false],
    ['LZW + predictor', 'lzw', true],
  ];
  return formats.map(([name, compression, predictor]) => ({
    name,
    compression,
    predictor,
    bytes: encodeTiff(stack, { compression, predictor }),
  }));
}
