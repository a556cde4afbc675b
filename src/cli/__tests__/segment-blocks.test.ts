import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStack } from '../../image/stack.js';
import { decodeTiffArray } from '../../io/tiff/read.js';
import { encodeTiff } from '../../io/tiff/write.js';
import { runSegment, type SegmentCommandOptions } from '../segment.js';

const dir = mkdtempSync(join(tmpdir(), 'cellscope-blocks-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Discs of radius 10 on a 20-px lattice offset so many straddle the 256-px block borders.
const size = 600;
const data = new Uint16Array(size * size).fill(200);
for (let cy = 15; cy < size; cy += 40) {
  for (let cx = 15; cx < size; cx += 40) {
    for (let y = cy - 10; y <= cy + 10; y++) {
      for (let x = cx - 10; x <= cx + 10; x++) {
        if (y < size && x < size && (y - cy) ** 2 + (x - cx) ** 2 <= 100) data[y * size + x] = 2000;
      }
    }
  }
}
const input = join(dir, 'discs.tif');
writeFileSync(input, encodeTiff(createStack([{ width: size, height: size, data }])));

function options(out: string, extra: Partial<SegmentCommandOptions>): SegmentCommandOptions {
  return {
    method: 'threshold',
    channel: '0',
    out,
    split: true,
    model: 'cellscope-nuclei',
    resample: true,
    ...extra,
  };
}

describe('cellscope segment --block-size', () => {
  it('writes the same 225 nuclei block-wise (256-px blocks) as one-shot', async () => {
    const lines: string[] = [];
    const blocks = join(dir, 'blocks.tif');
    const whole = join(dir, 'whole.tif');
    await runSegment([input], options(blocks, { blockSize: '256' }), (l) => lines.push(l));
    await runSegment([input], options(whole, { blockSize: 'off' }), () => undefined);
    expect(lines[0]).toBe('block 9 of 9');
    expect(lines[1]).toMatch(
      /^225 nuclei \(threshold .*\) in 9 blocks of 256 px \(overlap \d+ px\)/,
    );
    const a = decodeTiffArray(readFileSync(blocks)).data;
    const b = decodeTiffArray(readFileSync(whole)).data;
    // Numbering differs (block order vs raster order): compare which pixels are objects, and counts.
    // Block-wise labels stream out as uint32 (the largest label is not known before the end).
    expect(a).toBeInstanceOf(Uint32Array);
    expect(Array.from(a, (v) => (v ? 1 : 0))).toEqual(Array.from(b, (v) => (v ? 1 : 0)));
    expect(new Set(a).size).toBe(226);
    expect(new Set(b).size).toBe(226);
  });

  it('auto keeps the one-shot path for an image that fits in one block', async () => {
    const lines: string[] = [];
    await runSegment([input], options(join(dir, 'auto.tif'), {}), (l) => lines.push(l));
    expect(lines[0]).toMatch(/^225 nuclei \(threshold [\d.]+, diameter [\d.]+ px\)$/);
  });

  it('refuses --overlay block-wise, and a bad --block-size, saying what to do', async () => {
    await expect(
      runSegment(
        [input],
        options(join(dir, 'x.tif'), { blockSize: '256', overlay: join(dir, 'o.png') }),
        () => undefined,
      ),
    ).rejects.toThrow(/--overlay work on whole images only, not block-wise/);
    await expect(
      runSegment([input], options(join(dir, 'x.tif'), { blockSize: '100' }), () => undefined),
    ).rejects.toThrow(
      /--block-size must be a whole number of pixels ≥ 256, auto or off, got "100"/,
    );
  });
});
