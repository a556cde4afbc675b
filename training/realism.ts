// Compares generated training images with real unlabelled fluorescence images on what the
// network sees (each channel normalised as Cellpose's normalize99): the intensity histogram, the
// spread of brightness between cell-sized patches, and the texture (the slope of the radially
// averaged power spectrum). Writes a table and a side-by-side montage of the cytoplasm channels.
//
//   npx tsx training/realism.ts --out runs/realism [--recipe 2] [--count 40]
//        [real.tif:cytoplasmChannel ...]   (default: the images in ../shared/data)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { normalize99 } from '../src/cellpose/transforms/normalize.js';
import type { Plane } from '../src/image/types.js';
import { readImage } from '../src/io/read-image.js';
import { encodePng } from '../src/io/raster.js';
import { trainingSample } from '../src/synth/training-sample.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', default: 'runs/realism' },
    recipe: { type: 'string', default: '2' },
    count: { type: 'string', default: '40' },
    'first-seed': { type: 'string', default: '5000000' },
  },
});

const shared = '../shared/data';
const defaults = [
  `${shared}/neubias/xyc_8bit__cyto_nuclei.tif:0`,
  `${shared}/neubias/xyc_8bit__membranes_nuclei.tif:0`,
  `${shared}/neubias/xyc_16bit__cell_dna_mts_actin.tif:2`,
  `${shared}/neubias/watershed__xyc_16bit__nuclei_tubulin.tif:0`,
  `${shared}/examplehuman/AS_09125_050116030001_D03f00d2.tif:0`,
];
const realSpecs =
  positionals.length > 0 ? positionals : defaults.filter((s) => existsSync(s.split(':')[0]));

interface Stats {
  name: string;
  /** Normalised intensity quantiles 10/50/90 %. */
  q10: number;
  q50: number;
  q90: number;
  /** Share of pixels above half the normalised range. */
  bright: number;
  /** 90th / 10th percentile of the means of foreground patches (brightness between cells). */
  patchSpread: number;
  /** Slope of log power against log frequency (steeper = smoother). */
  spectrumSlope: number;
}

function stats(name: string, plane: Plane, patch: number): Stats {
  const { width, height } = plane;
  const data = normalize99(plane).data;
  const sorted = Float32Array.from(data).sort();
  const q = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const means: number[] = [];
  for (let y = 0; y + patch <= height; y += patch) {
    for (let x = 0; x + patch <= width; x += patch) {
      let sum = 0;
      for (let yy = y; yy < y + patch; yy++)
        for (let xx = x; xx < x + patch; xx++) sum += data[yy * width + xx];
      const mean = sum / (patch * patch);
      if (mean > 0.1) means.push(mean);
    }
  }
  means.sort((a, b) => a - b);
  const spread =
    means.length > 4
      ? means[Math.floor(0.9 * means.length)] / means[Math.floor(0.1 * means.length)]
      : NaN;
  return {
    name,
    q10: q(0.1),
    q50: q(0.5),
    q90: q(0.9),
    bright: data.filter((v) => v > 0.5).length / data.length,
    patchSpread: spread,
    spectrumSlope: spectrumSlope(data, width, height),
  };
}

/** Least-squares slope of log radial power against log frequency, from a 64×64 central DFT. */
function spectrumSlope(data: Float32Array, width: number, height: number): number {
  const n = Math.min(64, width, height);
  const [y0, x0] = [(height - n) >> 1, (width - n) >> 1];
  let mean = 0;
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) mean += data[(y0 + y) * width + x0 + x];
  mean /= n * n;
  const power = new Float64Array(n);
  const counts = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    for (let u = 0; u < n; u++) {
      let re = 0;
      let im = 0;
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++) {
          const phase = (-2 * Math.PI * (u * x + v * y)) / n;
          const value = data[(y0 + y) * width + x0 + x] - mean;
          re += value * Math.cos(phase);
          im += value * Math.sin(phase);
        }
      }
      const fu = u <= n / 2 ? u : u - n;
      const fv = v <= n / 2 ? v : v - n;
      const r = Math.round(Math.hypot(fu, fv));
      if (r >= 1 && r < n / 2) {
        power[r] += re * re + im * im;
        counts[r] += 1;
      }
    }
  }
  const xs: number[] = [];
  const ys: number[] = [];
  for (let r = 1; r < n / 2; r++) {
    if (counts[r] > 0 && power[r] > 0) {
      xs.push(Math.log(r));
      ys.push(Math.log(power[r] / counts[r]));
    }
  }
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, k) => {
    sxy += (x - mx) * (ys[k] - my);
    sxx += (x - mx) ** 2;
  });
  return sxy / sxx;
}

/** The normalised plane as grey RGBA tiles of `tile`², cropped or padded from the centre. */
function tileOf(plane: Plane, tile: number): Uint8Array {
  const data = normalize99(plane).data;
  const out = new Uint8Array(tile * tile * 4);
  const [y0, x0] = [(plane.height - tile) >> 1, (plane.width - tile) >> 1];
  for (let y = 0; y < tile; y++) {
    for (let x = 0; x < tile; x++) {
      const [yy, xx] = [y + y0, x + x0];
      const inside = yy >= 0 && yy < plane.height && xx >= 0 && xx < plane.width;
      const v = inside
        ? Math.round(255 * Math.min(1, Math.max(0, data[yy * plane.width + xx])))
        : 0;
      out.set([v, v, v, 255], (y * tile + x) * 4);
    }
  }
  return out;
}

mkdirSync(values.out, { recursive: true });
const rows: Stats[] = [];
const tiles: Uint8Array[] = [];
const tile = 180;
for (const spec of realSpecs) {
  const [path, channel] = spec.split(':');
  const stack = await readImage(path);
  const plane = stack.planes[Number(channel ?? 0)];
  rows.push(stats(`real ${path.split('/').pop()}:${channel}`, plane, 15));
  tiles.push(tileOf(plane, tile));
}
const recipe = values.recipe === '1' ? 1 : 2;
const generated: Stats[] = [];
for (let k = 0; k < Number(values.count); k++) {
  const seed = Number(values['first-seed']) + k;
  const sample = trainingSample({ seed, target: 'cells', size: 256, recipe });
  const name = `generated ${seed} ${sample.settings.kind ?? 'recipe-1'}`;
  generated.push(stats(name, sample.stack.planes[0], 15));
  if (k < 10) tiles.push(tileOf(sample.stack.planes[0], tile));
}
rows.push(...generated);

const columns = ['q10', 'q50', 'q90', 'bright', 'patchSpread', 'spectrumSlope'] as const;
const lines = [['image', ...columns].join('\t')];
for (const row of rows) lines.push([row.name, ...columns.map((c) => row[c].toFixed(3))].join('\t'));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const real = rows.slice(0, realSpecs.length);
for (const [label, set] of [
  ['median real', real],
  ['median generated', generated],
] as const) {
  lines.push(
    [
      label,
      ...columns.map((c) => median(set.map((r) => r[c]).filter(Number.isFinite)).toFixed(3)),
    ].join('\t'),
  );
}
writeFileSync(join(values.out, 'realism.tsv'), `${lines.join('\n')}\n`);
console.log(lines.join('\n'));

// Montage: real images on the first row, generated ones below, five to a row.
const perRow = 5;
const rowsOfTiles =
  Math.ceil(realSpecs.length / perRow) + Math.ceil((tiles.length - realSpecs.length) / perRow);
const montage = new Uint8Array(perRow * tile * rowsOfTiles * tile * 4);
const place = (t: Uint8Array, row: number, col: number): void => {
  for (let y = 0; y < tile; y++) {
    montage.set(
      t.subarray(y * tile * 4, (y + 1) * tile * 4),
      ((row * tile + y) * perRow * tile + col * tile) * 4,
    );
  }
};
tiles.slice(0, realSpecs.length).forEach((t, k) => place(t, Math.floor(k / perRow), k % perRow));
const realRows = Math.ceil(realSpecs.length / perRow);
tiles
  .slice(realSpecs.length)
  .forEach((t, k) => place(t, realRows + Math.floor(k / perRow), k % perRow));
writeFileSync(
  join(values.out, 'montage.png'),
  await encodePng({ width: perRow * tile, height: rowsOfTiles * tile, channels: 4, data: montage }),
);
