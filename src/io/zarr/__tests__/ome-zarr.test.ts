import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zarr from 'zarrita';
import { afterAll, describe, expect, it } from 'vitest';
import type { Region } from '../../../image/region.js';
import { seededRandom } from '../../../synth/random.js';
import { openOmeZarrFolder } from '../open-folder.js';
import { omeZarrRegionSource, openOmeZarr } from '../ome-zarr.js';

const [W, H] = [100, 70];
const random = seededRandom(11);
const dna = Uint16Array.from({ length: W * H }, () => Math.floor(random() * 65536));
const actin = Uint16Array.from({ length: W * H }, () => Math.floor(random() * 65536));
const cells = Uint32Array.from({ length: W * H }, (_, i) => (i % 7 === 0 ? 0 : 1 + (i % 13)));

function cut(data: ArrayLike<number>, width: number, { x, y, width: w, height: h }: Region) {
  const out: number[] = [];
  for (let r = y; r < y + h; r++) for (let c = x; c < x + w; c++) out.push(data[r * width + c]);
  return out;
}

const REGIONS: Region[] = [
  { x: 0, y: 0, width: W, height: H },
  { x: 31, y: 31, width: 2, height: 2 },
  { x: 50, y: 10, width: 50, height: 60 },
  { x: 99, y: 69, width: 1, height: 1 },
];

const axes = [
  { name: 'c', type: 'channel' },
  { name: 'y', type: 'space', unit: 'micrometer' },
  { name: 'x', type: 'space', unit: 'micrometer' },
];

/** NGFF 0.5 on Zarr v3, written with zarrita into memory: two levels and a labels group. */
async function ngff05(): Promise<Map<string, Uint8Array>> {
  const store = new Map<string, Uint8Array>();
  const root = zarr.root(store);
  await zarr.create(root, {
    attributes: {
      ome: {
        version: '0.5',
        multiscales: [
          {
            axes,
            datasets: [
              { path: '0', coordinateTransformations: [{ type: 'scale', scale: [1, 0.65, 0.65] }] },
              { path: '1', coordinateTransformations: [{ type: 'scale', scale: [1, 1.3, 1.3] }] },
            ],
          },
        ],
        omero: { channels: [{ label: 'DNA' }, { label: 'actin' }] },
      },
    },
  });
  const full = await zarr.create(root.resolve('0'), {
    shape: [2, H, W],
    chunkShape: [1, 32, 32],
    dtype: 'uint16',
  });
  const both = new Uint16Array(2 * W * H);
  both.set(dna);
  both.set(actin, W * H);
  await zarr.set(full, null, { data: both, shape: [2, H, W], stride: [W * H, W, 1] });
  const half = await zarr.create(root.resolve('1'), {
    shape: [2, H / 2, W / 2],
    chunkShape: [1, 32, 32],
    dtype: 'uint16',
  });
  const small = new Uint16Array(2 * (W / 2) * (H / 2)).fill(5);
  await zarr.set(half, null, {
    data: small,
    shape: [2, H / 2, W / 2],
    stride: [(W * H) / 4, W / 2, 1],
  });
  await zarr.create(root.resolve('labels'), {
    attributes: { ome: { version: '0.5', labels: ['cells'] } },
  });
  await zarr.create(root.resolve('labels/cells'), {
    attributes: {
      ome: {
        version: '0.5',
        multiscales: [{ axes: axes.slice(1), datasets: [{ path: '0' }] }],
        'image-label': { source: { image: '../../' } },
      },
    },
  });
  const labels = await zarr.create(root.resolve('labels/cells/0'), {
    shape: [H, W],
    chunkShape: [40, 40],
    dtype: 'uint32',
  });
  await zarr.set(labels, null, { data: cells, shape: [H, W], stride: [W, 1] });
  return store;
}

describe('OME-Zarr NGFF 0.5 (Zarr v3, written with zarrita)', () => {
  it('reads metadata: 2 levels, axes, channel names, pixel size, labels', async () => {
    const image = await openOmeZarr(await ngff05());
    expect(image.version).toBe('0.5');
    expect(image.axes).toEqual(['c', 'y', 'x']);
    expect(image.levels.map((l) => l.shape)).toEqual([
      [2, H, W],
      [2, H / 2, W / 2],
    ]);
    expect(image.channelNames).toEqual(['DNA', 'actin']);
    expect(image.pixelSizeUm).toEqual({ x: 0.65, y: 0.65 });
    expect(image.labels).toEqual(['cells']);
  });

  it('regions of level 0 equal the whole array (4 regions × 2 channels)', async () => {
    const source = await omeZarrRegionSource(await openOmeZarr(await ngff05()));
    expect([source.width, source.height, source.dtype]).toEqual([W, H, 'uint16']);
    for (const region of REGIONS) {
      const stack = await source.read(region);
      expect(stack.channelNames).toEqual(['DNA', 'actin']);
      expect([...stack.planes[0].data]).toEqual(cut(dna, W, region));
      expect([...stack.planes[1].data]).toEqual(cut(actin, W, region));
    }
  });

  it('level 1 and the labels/ group read too', async () => {
    const store = await ngff05();
    const low = await omeZarrRegionSource(await openOmeZarr(store), { level: 1 });
    expect([low.width, low.height]).toEqual([W / 2, H / 2]);
    const { planes } = await low.read({ x: 0, y: 0, width: 2, height: 1 }, [1]);
    expect([...planes[0].data]).toEqual([5, 5]);
    const labelImage = await openOmeZarr(zarr.root(store).resolve('labels/cells'));
    const labels = await omeZarrRegionSource(labelImage);
    expect(labels.dtype).toBe('uint32');
    const region = { x: 35, y: 38, width: 10, height: 5 };
    expect([...(await labels.read(region)).planes[0].data]).toEqual(cut(cells, W, region));
  });

  it('refuses a level that does not exist', async () => {
    const image = await openOmeZarr(await ngff05());
    await expect(omeZarrRegionSource(image, { level: 2 })).rejects.toThrow(
      /level 2 does not exist: the image has 2 levels/,
    );
  });
});

describe('OME-Zarr NGFF 0.4 (Zarr v2 written by hand, TCZYX, "/" chunk keys)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cellscope-ngff04-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const chunk = 32;
  writeFileSync(join(dir, '.zgroup'), JSON.stringify({ zarr_format: 2 }));
  writeFileSync(
    join(dir, '.zattrs'),
    JSON.stringify({
      multiscales: [
        {
          version: '0.4',
          axes: [
            { name: 't', type: 'time' },
            { name: 'c', type: 'channel' },
            { name: 'z', type: 'space' },
            ...axes.slice(1),
          ],
          datasets: [
            {
              path: '0',
              coordinateTransformations: [{ type: 'scale', scale: [1, 1, 1, 0.5, 0.5] }],
            },
          ],
        },
      ],
    }),
  );
  mkdirSync(join(dir, '0'));
  writeFileSync(
    join(dir, '0', '.zarray'),
    JSON.stringify({
      zarr_format: 2,
      shape: [1, 2, 1, H, W],
      chunks: [1, 1, 1, chunk, chunk],
      dtype: '<u2',
      compressor: null,
      fill_value: 0,
      order: 'C',
      filters: null,
      dimension_separator: '/',
    }),
  );
  // Zarr v2 stores edge chunks whole, padded past the array's end.
  [dna, actin].forEach((plane, c) => {
    for (let cy = 0; cy * chunk < H; cy++) {
      for (let cx = 0; cx * chunk < W; cx++) {
        const bytes = new Uint16Array(chunk * chunk);
        for (let r = 0; r < chunk; r++) {
          for (let k = 0; k < chunk; k++) {
            const [y, x] = [cy * chunk + r, cx * chunk + k];
            if (y < H && x < W) bytes[r * chunk + k] = plane[y * W + x];
          }
        }
        const folder = join(dir, '0', '0', String(c), '0', String(cy));
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, String(cx)), new Uint8Array(bytes.buffer));
      }
    }
  });

  it('opens from a folder and its regions equal the whole planes (4 regions × 2 channels)', async () => {
    const image = await openOmeZarrFolder(dir);
    expect(image.version).toBe('0.4');
    expect(image.axes).toEqual(['t', 'c', 'z', 'y', 'x']);
    expect(image.channelNames).toBeUndefined();
    expect(image.pixelSizeUm).toEqual({ x: 0.5, y: 0.5 });
    expect(image.labels).toEqual([]);
    const source = await omeZarrRegionSource(image);
    expect(source.channelNames).toEqual(['C0', 'C1']);
    for (const region of REGIONS) {
      const stack = await source.read(region);
      expect([...stack.planes[0].data]).toEqual(cut(dna, W, region));
      expect([...stack.planes[1].data]).toEqual(cut(actin, W, region));
    }
  });

  it('refuses a path that is not a folder, naming it', async () => {
    await expect(openOmeZarrFolder(join(dir, '.zattrs'))).rejects.toThrow(/not an OME-Zarr folder/);
  });
});
