import * as zarr from 'zarrita';
import { describe, expect, it } from 'vitest';
import { openOmeZarr, omeZarrRegionSource } from 'cellscope/browser';
import { folderStore } from '../sources.js';

/** An NGFF 0.5 (Zarr v3) image group: 2 levels of a 1-channel 64 × 48 uint16 ramp, in memory. */
async function ngffFiles(): Promise<Map<string, Uint8Array>> {
  const store = new Map<string, Uint8Array>();
  const root = zarr.root(store);
  await zarr.create(root, {
    attributes: {
      ome: {
        version: '0.5',
        multiscales: [
          {
            axes: [
              { name: 'y', type: 'space' },
              { name: 'x', type: 'space' },
            ],
            datasets: [{ path: '0' }, { path: '1' }],
          },
        ],
      },
    },
  });
  for (const [k, [w, h]] of [
    [64, 48],
    [32, 24],
  ].entries()) {
    const array = await zarr.create(root.resolve(String(k)), {
      shape: [h, w],
      chunkShape: [16, 16],
      dtype: 'uint16',
    });
    const ramp = Uint16Array.from({ length: w * h }, (_, i) => i + 1000 * k);
    await zarr.set(array, null, { data: ramp, shape: [h, w], stride: [w, 1] });
  }
  return store;
}

describe('folderStore: an OME-Zarr folder from its files, as a directory input gives them', () => {
  it.each([
    ['the image folder itself', 'slide.zarr/'],
    ['a folder above it', 'data/run 1/slide.zarr/'],
  ])('opens %s: both levels, pixels read back', async (_, prefix) => {
    const files = [...(await ngffFiles())].map(([key, bytes]) => ({
      path: `${prefix}${key.slice(1)}`,
      file: new File([bytes as BlobPart], key.split('/').pop()!),
    }));
    // A stray file beside the image does not move its root.
    files.push({ path: `${prefix}notes/readme.txt`, file: new File(['x'], 'readme.txt') });
    const image = await openOmeZarr(folderStore(files), 'slide.zarr');
    expect(image.levels.map((l) => l.shape)).toEqual([
      [48, 64],
      [24, 32],
    ]);
    const level1 = await omeZarrRegionSource(image, { level: 1 });
    const plane = (await level1.read({ x: 10, y: 20, width: 3, height: 1 })).planes[0];
    expect([...plane.data]).toEqual([1650, 1651, 1652]);
  });
});
