import { describe, expect, it } from 'vitest';
import { crop } from '../../../image/crop.js';
import { stackRegionSource } from '../../../image/region.js';
import { createStack } from '../../../image/stack.js';
import type { Labels, Stack } from '../../../image/types.js';
import { planBlocks } from '../../../segment/blocks/plan.js';
import { segmentBlocks } from '../../../segment/blocks/segment-blocks.js';
import { memoryLabelSink } from '../../../segment/blocks/stitch.js';
import type { Table } from '../../../table/table.js';
import { parseAnalysisConfig } from '../../config.js';
import { measureSegmented } from '../../measure-segmented.js';
import { blockMeasurer, finalRegion } from '../measure-blocks.js';

const W = 96;
const H = 64;
const BLOCK = 32;
const OVERLAP = 16;

type Box = [x0: number, x1: number, y0: number, y1: number];

function paint(boxes: Record<number, Box>): Labels {
  const data = new Uint32Array(W * H);
  for (const [label, [x0, x1, y0, y1]] of Object.entries(boxes)) {
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) data[y * W + x] = Number(label);
  }
  return { width: W, height: H, data };
}

// Each box is named for the case it pins; blocks are 32 px (3 × 2), overlap 16.
const NUCLEI: Record<number, Box> = {
  1: [31, 36, 6, 11], // inside cell 1 but centred in the next block column
  2: [51, 53, 21, 23], // cell 2's smaller nucleus (9 px)
  3: [56, 59, 22, 26], // cell 2's larger nucleus (20 px): its match
  4: [75, 80, 44, 47], // straddles cells 3 and 4 equally: shared, tie to the smaller cell
  5: [40, 44, 50, 54], // outside every cell
  6: [87, 92, 4, 9], // covers cell 6 wholly: no cytoplasm left
  7: [22, 26, 32, 35], // inside cell 7 but centred in the next block row
};
const CELLS: Record<number, Box> = {
  1: [22, 37, 4, 15],
  2: [50, 60, 20, 28],
  3: [70, 77, 40, 50],
  4: [78, 85, 40, 50],
  5: [5, 12, 40, 47], // no nucleus
  6: [88, 91, 5, 8],
  7: [20, 28, 26, 37],
  8: [38, 45, 4, 15], // the second block sees it 2 px wider, over cell 1's pixels
};

function image(): Stack {
  const plane = (f: (x: number, y: number) => number) => {
    const data = new Uint16Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[y * W + x] = f(x, y);
    return { width: W, height: H, data };
  };
  return createStack(
    [plane((x, y) => (x * 7 + y * 13) % 251), plane((x, y) => (x * x + 3 * y) % 1009)],
    { channelNames: ['DNA', 'actin'] },
  );
}

/** A block-wise run whose "segmentation" crops the boxes above, with cell 8 wider in block 1. */
async function run(stack: Stack, spacing?: [number, number]) {
  const nuclei = paint(NUCLEI);
  const cells = paint(CELLS);
  const wider = paint({ ...CELLS, 8: [36, 45, 4, 15] });
  const sinks = [memoryLabelSink(W, H), memoryLabelSink(W, H)] as const;
  const measurer = blockMeasurer({ width: W, height: H, channels: [0, 1], spacing });
  const cut = (labels: Labels, r: { x: number; y: number; width: number; height: number }) =>
    crop(labels, { left: r.x, top: r.y, width: r.width, height: r.height }) as Labels;
  await segmentBlocks(
    stackRegionSource(stack),
    (_, block) => [cut(nuclei, block.padded), cut(block.index === 1 ? wider : cells, block.padded)],
    {
      blockSize: BLOCK,
      overlap: OVERLAP,
      sinks,
      onBlock: (block, s, kept) => measurer.add(block, s, kept, OVERLAP, sinks),
    },
  );
  return { measured: measurer.finish(), written: sinks.map((s) => s.labels) };
}

function expectSameTable(actual: Table, expected: Table): void {
  expect(Object.keys(actual.columns)).toEqual(Object.keys(expected.columns));
  expect(actual.rowCount).toBe(expected.rowCount);
  for (const [name, column] of Object.entries(expected.columns)) {
    expect([name, Array.from(actual.columns[name] as Float64Array)]).toEqual([
      name,
      Array.from(column as Float64Array),
    ]);
  }
  expect(actual.metadata.units).toEqual(expected.metadata.units);
}

describe('blockMeasurer', () => {
  const cases: [string, [number, number] | undefined][] = [
    ['in pixels', undefined],
    ['with a 0.5 µm pixel size', [0.5, 0.5]],
  ];
  it.each(cases)(
    'gives the tables measureSegmented gives on the written labels (%s)',
    async (_, spacing) => {
      const stack = image();
      const { measured, written } = await run(stack, spacing);
      const config = parseAnalysisConfig({
        channels: { nuclei: 0, cytoplasm: 1 },
        ...(spacing ? { pixelSizeUm: spacing[0] } : {}),
      });
      const expected = measureSegmented(stack, config, written[0], written[1]);
      expectSameTable(measured.nuclei, expected.nuclei);
      expectSameTable(measured.cells, expected.cells);
      expectSameTable(measured.matched, expected.matched);
      expect(measured.relation.conflicts).toEqual(expected.relation.conflicts);
      expect(measured.relation.pairs).toEqual(expected.relation.pairs);

      // The cases are there: 7 nuclei, 8 cells, one of each conflict kind.
      expect(expected.nuclei.rowCount).toBe(7);
      expect(expected.cells.rowCount).toBe(8);
      const { conflicts } = expected.relation;
      expect(conflicts.sharedNuclei).toHaveLength(1);
      expect(conflicts.multinucleateCells).toHaveLength(1);
      expect(conflicts.nucleiOutsideCells).toHaveLength(1);
      expect(conflicts.cellsWithoutNucleus).toHaveLength(2); // cells 5 and 8
      // Cell 8 kept its 8 × 12 box: the 2 columns the second block saw wider stayed cell 1's.
      const areas = expected.cells.columns.area as Float64Array;
      const pixel = spacing ? spacing[0] * spacing[1] : 1;
      expect(Array.from(areas, (a) => a / pixel).sort((a, b) => a - b)).toContain(8 * 12);
      // Cell 6 has no cytoplasm left: its compartment is empty, its mean NaN.
      const matched = measured.matched.columns;
      const six = Array.from(matched.cell_area as Float64Array).indexOf(16 * pixel);
      expect((matched.cytoplasm_compartment_area as Float64Array)[six]).toBe(0);
      expect((matched.cytoplasm_intensity_mean_actin as Float64Array)[six]).toBeNaN();
    },
  );
});

describe('finalRegion', () => {
  const plans: [number, number, number, number][] = [
    [96, 64, 32, 16],
    [300, 350, 128, 40],
    [1000, 257, 256, 109],
    [100, 100, 16, 30],
    [50, 40, 64, 8],
  ];
  it.each(plans)(
    '%i × %i, blocks of %i, overlap %i: tiles the image with the pixels no later block covers',
    (width, height, blockSize, overlap) => {
      const blocks = planBlocks(width, height, { blockSize, overlap });
      const owner = new Int32Array(width * height).fill(-1);
      let twice = 0;
      let outside = 0;
      let coveredLater = 0;
      for (const block of blocks) {
        const f = finalRegion(block, overlap, { width, height });
        const { padded } = block;
        for (let y = f.y; y < f.y + f.height; y++) {
          for (let x = f.x; x < f.x + f.width; x++) {
            if (owner[y * width + x] >= 0) twice++;
            owner[y * width + x] = block.index;
            // Inside this block's padded region, and in no later block's.
            const inside = (p: typeof padded) =>
              x >= p.x && x < p.x + p.width && y >= p.y && y < p.y + p.height;
            if (!inside(padded)) outside++;
            if (blocks.slice(block.index + 1).some((b) => inside(b.padded))) coveredLater++;
          }
        }
      }
      expect({ twice, outside, coveredLater }).toEqual({ twice: 0, outside: 0, coveredLater: 0 });
      expect(owner.every((o) => o >= 0)).toBe(true);
    },
  );
});
