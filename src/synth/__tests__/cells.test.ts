import { describe, expect, it } from 'vitest';
import { syntheticCells } from '../cells.js';

describe('syntheticCells', () => {
  const a = syntheticCells({ width: 160, height: 120, cells: 8, seed: 7 });

  it('is deterministic for a seed and differs between seeds', () => {
    const again = syntheticCells({ width: 160, height: 120, cells: 8, seed: 7 });
    expect(again.stack.planes[0].data).toEqual(a.stack.planes[0].data);
    expect(
      syntheticCells({ width: 160, height: 120, cells: 8, seed: 8 }).stack.planes[0].data,
    ).not.toEqual(a.stack.planes[0].data);
  });

  it('puts every nucleus inside the cell with the same label', () => {
    const { nucleusLabels, cellLabels } = a;
    const ids = new Set<number>();
    for (let i = 0; i < nucleusLabels.data.length; i++) {
      const n = nucleusLabels.data[i];
      if (n === 0) continue;
      ids.add(n);
      expect(cellLabels.data[i]).toBe(n);
    }
    expect(ids.size).toBeGreaterThan(1);
    expect(Math.max(...cellLabels.data)).toBe(ids.size);
  });

  it('makes nuclei bright in the DNA channel and dim in the cytoplasm channel', () => {
    const [dna, cytoplasm] = a.stack.planes;
    const meanWhere = (data: ArrayLike<number>, pick: (i: number) => boolean): number => {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < data.length; i++) {
        if (!pick(i)) continue;
        sum += data[i];
        n++;
      }
      return sum / n;
    };
    const inNucleus = (i: number): boolean => a.nucleusLabels.data[i] > 0;
    const inCytoplasm = (i: number): boolean => a.cellLabels.data[i] > 0 && !inNucleus(i);
    expect(meanWhere(dna.data, inNucleus)).toBeGreaterThan(3 * meanWhere(dna.data, inCytoplasm));
    expect(meanWhere(cytoplasm.data, inCytoplasm)).toBeGreaterThan(
      1.5 * meanWhere(cytoplasm.data, inNucleus),
    );
  });

  it('draws the asked fractions of dim nuclei and of cells bright in the signal channel', () => {
    const { stack, nucleusLabels } = syntheticCells({ seed: 2 });
    const count = Math.max(...new Set(nucleusLabels.data));
    const meanPerNucleus = (c: number): number[] => {
      const sum = new Float64Array(count + 1);
      const area = new Float64Array(count + 1);
      nucleusLabels.data.forEach((l, i) => {
        sum[l] += stack.planes[c].data[i] - 100;
        area[l]++;
      });
      return Array.from({ length: count }, (_, k) => sum[k + 1] / area[k + 1]);
    };
    const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1];
    const dna = meanPerNucleus(0);
    const signal = meanPerNucleus(2);
    expect(count).toBe(40);
    expect(dna.filter((m) => m < 0.5 * median(dna)).length).toBe(Math.round(0.15 * count));
    expect(signal.filter((m) => m > 10 * median(signal)).length).toBe(Math.round(0.05 * count));
  });
});
