import { describe, expect, it } from 'vitest';
import { createStack } from '../../image/stack.js';
import type { Labels } from '../../image/types.js';
import { numericColumn } from '../../table/table.js';
import { parseAnalysisConfig } from '../config.js';
import { measureSegmented } from '../measure-segmented.js';

// 4 × 4: nucleus 1 is pixels 0 and 1, cell 1 those and 4, 5 below them. Channel c holds
// (c + 1)·100 + pixel index, so a nucleus mean is +0.5, a cell mean +2.5, a cytoplasm mean +4.5.
const labels = (pixels: number[]): Labels => {
  const data = new Uint32Array(16);
  for (const i of pixels) data[i] = 1;
  return { width: 4, height: 4, data };
};
const nuclei = labels([0, 1]);
const cells = labels([0, 1, 4, 5]);
const stackNamed = (names: string[]) =>
  createStack(
    names.map((_, c) => ({
      width: 4,
      height: 4,
      data: Float64Array.from({ length: 16 }, (_, i) => (c + 1) * 100 + i),
    })),
    { channelNames: names },
  );

describe('measureSegmented names intensity columns one way in all three tables', () => {
  // [channel names, suffixes in measured order: nuclei (0), cytoplasm (2), others (1)]
  const cases: [string[], string[]][] = [
    [
      ['DNA', 'PH3', 'actin'],
      ['DNA', 'actin', 'PH3'],
    ],
    [
      ['C0', 'C1', 'C2'],
      ['ch1', 'ch3', 'ch2'],
    ],
    [
      ['img_D03f00d0', 'img_D03f00d1', 'img_D03f00d2'],
      ['d0', 'd2', 'd1'],
    ],
    [
      ['DAPI (405)', 'GFP', 'Phalloidin-488'],
      ['DAPI_405', 'Phalloidin_488', 'GFP'],
    ],
    [
      ['GFP', 'x', 'GFP'],
      ['ch1', 'ch3', 'ch2'],
    ],
  ];
  it.each(cases)('channels %j → %j', (names, suffixes) => {
    const config = parseAnalysisConfig({ channels: { nuclei: 0, cytoplasm: 2, others: [1] } });
    const measured = measureSegmented(stackNamed(names), config, nuclei, cells);
    expect(measured.suffixes).toEqual(suffixes);
    const plane = [0, 2, 1];
    expect(Object.keys(measured.nuclei.columns)).toEqual([
      'label',
      'area',
      'perimeter',
      'centroid-0',
      'centroid-1',
      ...suffixes.map((s) => `intensity_mean_${s}`),
      'feret_diameter_max',
    ]);
    expect(Object.keys(measured.cells.columns)).toEqual(Object.keys(measured.nuclei.columns));
    suffixes.forEach((s, k) => {
      const base = (plane[k] + 1) * 100;
      expect(numericColumn(measured.nuclei, `intensity_mean_${s}`)[0]).toBe(base + 0.5);
      expect(numericColumn(measured.cells, `intensity_mean_${s}`)[0]).toBe(base + 2.5);
      expect(numericColumn(measured.matched, `nuclei_intensity_mean_${s}`)[0]).toBe(base + 0.5);
      expect(numericColumn(measured.matched, `cell_intensity_mean_${s}`)[0]).toBe(base + 2.5);
      expect(numericColumn(measured.matched, `cytoplasm_intensity_mean_${s}`)[0]).toBe(base + 4.5);
    });
  });
  it('covers every case', () => expect(cases).toHaveLength(5));

  it('names a lone measured channel too (skimage would say plain intensity_mean)', () => {
    const config = parseAnalysisConfig({ channels: { nuclei: 'DAPI', cytoplasm: 'DAPI' } });
    const measured = measureSegmented(stackNamed(['DAPI']), config, nuclei, cells);
    expect(numericColumn(measured.nuclei, 'intensity_mean_DAPI')[0]).toBe(100.5);
    expect(numericColumn(measured.matched, 'cell_intensity_mean_DAPI')[0]).toBe(102.5);
    expect(Object.keys(measured.cells.columns)).not.toContain('intensity_mean');
  });
});
