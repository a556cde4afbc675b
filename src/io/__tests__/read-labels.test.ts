import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageFormatError } from '../../errors.js';
import { createStack } from '../../image/stack.js';
import type { PixelArray } from '../../image/types.js';
import { readLabels } from '../read-labels.js';
import { writeTiffFile } from '../tiff/write-file.js';

// readLabels takes every integer dtype without a per-pixel check where none can fail (unsigned),
// and still refuses negative and fractional pixels by index.

const dir = mkdtempSync(join(tmpdir(), 'cellscope-read-labels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function written(name: string, data: PixelArray, width = 3): Promise<string> {
  const path = join(dir, name);
  await writeTiffFile(path, createStack([{ width, height: data.length / width, data }]));
  return path;
}

describe('readLabels', () => {
  const values = [0, 1, 2, 0, 7, 255];
  const cases: [string, PixelArray][] = [
    ['uint8', Uint8Array.from(values)],
    ['uint16', Uint16Array.from([0, 1, 65535, 0, 7, 300])],
    ['uint32', Uint32Array.from([0, 1, 4294967295, 0, 70000, 3])],
    ['int16', Int16Array.from([0, 1, 32767, 0, 7, 300])],
    ['int32', Int32Array.from([0, 1, 2147483647, 0, 7, 300])],
    ['float32', Float32Array.from([0, 1, 16777216, 0, 7, 300])],
  ];
  it.each(cases)('reads %s labels value for value as uint32', async (dtype, data) => {
    const labels = await readLabels(await written(`${dtype}.tif`, data));
    expect(labels.width).toBe(3);
    expect(labels.height).toBe(2);
    expect(labels.data).toBeInstanceOf(Uint32Array);
    expect(Array.from(labels.data)).toEqual(Array.from(data));
  });
  expect(cases).toHaveLength(6);

  it.each([
    ['int16', Int16Array.from([0, 1, 2, -3, 4, 5]), 3, -3],
    ['int32', Int32Array.from([0, -1, 2, 3, 4, 5]), 1, -1],
    ['float32', Float32Array.from([0, 1, 2, 3, 4.5, 5]), 4, 4.5],
    ['float32 NaN', Float32Array.from([0, 1, NaN, 3, 4, 5]), 2, NaN],
  ] as const)('refuses %s pixel values that are not labels', async (name, data, index, value) => {
    const path = await written(`bad-${name.replace(' ', '-')}.tif`, data);
    const error = await readLabels(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageFormatError);
    expect((error as ImageFormatError).message).toContain(
      `not a label image: pixel ${index} holds ${value}`,
    );
    expect((error as ImageFormatError).file).toBe(path);
  });
});
