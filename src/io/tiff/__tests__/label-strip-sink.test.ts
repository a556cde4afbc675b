import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pythonHas, runPython } from '../../../export/__tests__/python.js';
import { planBlocks } from '../../../segment/blocks/plan.js';
import { memoryLabelSink } from '../../../segment/blocks/stitch.js';
import { seededRandom } from '../../../synth/random.js';
import { labelStripSink } from '../label-strip-sink.js';
import { decodeTiffArray } from '../read.js';

const hasTifffile = pythonHas(['tifffile', 'numpy'], 'python3-tifffile');
const dir = mkdtempSync(join(tmpdir(), 'cellscope-strip-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('labelStripSink', () => {
  it('writes, strip by strip, the labels a memory sink stitches (300 × 350, 9 blocks of 128)', () => {
    const [width, height] = [300, 350];
    const blocks = planBlocks(width, height, { blockSize: 128, overlap: 20 });
    const memory = memoryLabelSink(width, height);
    const path = join(dir, 'labels.tif');
    const strips = labelStripSink(path, {
      width,
      height,
      bandRows: 128 + 40,
      pixelSizeUm: { x: 0.65, y: 0.65 },
    });
    const random = seededRandom(5);
    for (const { padded, index } of blocks) {
      // Overlapping pastes: first one wins in both sinks, whatever the block order gives.
      const labels = Uint32Array.from({ length: padded.width * padded.height }, () =>
        random() < 0.3 ? 1 + index * 1000 + Math.floor(random() * 70000) : 0,
      );
      memory.paste(padded, labels);
      strips.paste(padded, labels);
    }
    strips.finish();
    const read = decodeTiffArray(readFileSync(path));
    expect(read.shape).toEqual([height, width]);
    expect(read.dtype).toBe('uint32');
    expect(read.pixelSizeUm?.x).toBeCloseTo(0.65, 9);
    expect(Buffer.from(read.data.buffer).equals(Buffer.from(memory.labels.data.buffer))).toBe(true);
    if (!hasTifffile) return;
    // What Fiji reads: an ImageJ file in microns, 1/0.65 pixels per µm, the same labels.
    const report = runPython<{ imagej: boolean; unit: string; perUm: number[]; sum: number }>(
      `
import json, sys, tifffile
with tifffile.TiffFile(sys.argv[1]) as tif:
    tags = tif.pages[0].tags
    a = tif.asarray()
    print(json.dumps({"imagej": tif.is_imagej, "unit": tif.imagej_metadata.get("unit"),
                      "perUm": [n / d for n, d in (tags["XResolution"].value,
                                                   tags["YResolution"].value)],
                      "sum": int(a.astype("uint64").sum())}))
`,
      [path],
    );
    let sum = 0;
    for (const v of memory.labels.data) sum += v;
    expect(report).toEqual({
      imagej: true,
      unit: 'micron',
      perUm: [expect.closeTo(1 / 0.65, 12), expect.closeTo(1 / 0.65, 12)],
      sum,
    });
  });

  it('refuses to replace an input', () => {
    const path = join(dir, 'input.tif');
    expect(() =>
      labelStripSink(path, { width: 4, height: 4, bandRows: 4, protect: [path] }),
    ).toThrow(/refusing to overwrite an input file/);
  });
});
