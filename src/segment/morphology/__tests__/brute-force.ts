import type { Labels, Mask, Plane } from '../../../image/types.js';
import { seededRandom } from '../../../synth/random.js';

// Reference implementations straight from the definitions, slow and obviously right.

/** scipy.ndimage.binary_erosion(border_value=1) with the footprint centred on its middle pixel. */
export function bruteErosion(mask: Mask, footprint: Mask): Mask {
  return bruteMorphology(mask, footprint, 'erosion');
}

/** scipy.ndimage.binary_dilation: out(p) = OR over footprint offsets f of in(p − f), outside = 0. */
export function bruteDilation(mask: Mask, footprint: Mask): Mask {
  return bruteMorphology(mask, footprint, 'dilation');
}

function bruteMorphology(mask: Mask, footprint: Mask, op: 'erosion' | 'dilation'): Mask {
  const { width, height, data } = mask;
  const cy = (footprint.height - 1) / 2;
  const cx = (footprint.width - 1) / 2;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let value = op === 'erosion' ? 1 : 0;
      for (let fy = 0; fy < footprint.height; fy++) {
        for (let fx = 0; fx < footprint.width; fx++) {
          if (footprint.data[fy * footprint.width + fx] === 0) continue;
          const sign = op === 'erosion' ? 1 : -1;
          const yy = y + sign * (fy - cy);
          const xx = x + sign * (fx - cx);
          if (yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
          const v = data[yy * width + xx] !== 0;
          if (op === 'erosion' && !v) value = 0;
          if (op === 'dilation' && v) value = 1;
        }
      }
      out[y * width + x] = value;
    }
  }
  return { width, height, data: out };
}

/** Breadth-first flood fill from each unvisited pixel in raster order: skimage.measure.label. */
export function bruteLabel(
  image: Plane,
  connectivity: 1 | 2,
  background = 0,
): { labels: Labels; count: number } {
  const { width, height, data } = image;
  const labels = new Uint32Array(width * height);
  const steps =
    connectivity === 1
      ? [
          [-1, 0],
          [1, 0],
          [0, -1],
          [0, 1],
        ]
      : [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => [dy, dx]));
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 || data[i] === background) continue;
    labels[i] = ++count;
    const queue = [i];
    while (queue.length > 0) {
      const p = queue.pop()!;
      const y = Math.floor(p / width);
      const x = p % width;
      for (const [dy, dx] of steps) {
        const yy = y + dy;
        const xx = x + dx;
        if (yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
        const q = yy * width + xx;
        if (labels[q] === 0 && data[q] === data[i]) {
          labels[q] = count;
          queue.push(q);
        }
      }
    }
  }
  return { labels: { width, height, data: labels }, count };
}

/** Pixels of each label id. */
export function areasOf(labels: Labels, count: number): number[] {
  const areas = new Array<number>(count + 1).fill(0);
  for (const id of labels.data) areas[id]++;
  return areas;
}

/** Complement of a 0/1 mask. */
export function invert(mask: Mask): Mask {
  return { ...mask, data: mask.data.map((v) => (v === 0 ? 1 : 0)) };
}

/** scipy.ndimage.binary_fill_holes: background components not touching the border are filled. */
export function bruteFillHoles(mask: Mask, connectivity: 1 | 2): Mask {
  const { width, height } = mask;
  const { labels, count } = bruteLabel(invert(mask), connectivity);
  const open = new Array<boolean>(count + 1).fill(false);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y === 0 || x === 0 || y === height - 1 || x === width - 1) {
        open[labels.data[y * width + x]] = true;
      }
    }
  }
  const data = labels.data.map((id) => (id !== 0 && open[id] ? 0 : 1));
  return { width, height, data: Uint8Array.from(data) };
}

/** A random mask of blobs, specks, and holes, so every operation has something to do. */
export function randomMask(width: number, height: number, seed: number, density = 0.5): Mask {
  const random = seededRandom(seed);
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = random() < density * 0.3 ? 1 : 0;
  const blobs = Math.max(1, Math.round((width * height * density) / 60));
  for (let k = 0; k < blobs; k++) {
    const cy = random() * height;
    const cx = random() * width;
    const r = 1 + random() * 5;
    for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(height, cy + r + 1); y++) {
      for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(width, cx + r + 1); x++) {
        if ((y - cy) ** 2 + (x - cx) ** 2 <= r * r) data[y * width + x] = random() < 0.9 ? 1 : 0;
      }
    }
  }
  return { width, height, data };
}

/** A random mask with odd sides that is usually not symmetric. */
export function randomFootprint(width: number, height: number, seed: number): Mask {
  const random = seededRandom(seed);
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = random() < 0.55 ? 1 : 0;
  return { width, height, data };
}
