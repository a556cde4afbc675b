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

  describe('options for training data', () => {
    /** Per nucleus label: area and mean DNA above the camera offset. */
    const perNucleus = (drawn: ReturnType<typeof syntheticCells>) => {
      const area = new Map<number, number>();
      const sum = new Map<number, number>();
      drawn.nucleusLabels.data.forEach((l, i) => {
        if (l === 0) return;
        area.set(l, (area.get(l) ?? 0) + 1);
        sum.set(l, (sum.get(l) ?? 0) + drawn.stack.planes[0].data[i] - 100);
      });
      return [...area].map(([label, a]) => ({ label, area: a, dna: sum.get(label)! / a }));
    };
    /** For each pair of nucleus labels that touch: the length of their shared border (px). */
    const sharedBorders = ({ width, data }: { width: number; data: Uint32Array }) => {
      const pairs = new Map<string, number>();
      for (let i = 0; i < data.length; i++) {
        for (const j of [i % width < width - 1 ? i + 1 : -1, i + width]) {
          const [a, b] = [data[i], data[j]];
          if (j < 0 || j >= data.length || !a || !b || a === b) continue;
          const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
          pairs.set(key, (pairs.get(key) ?? 0) + 1);
        }
      }
      return pairs;
    };
    const base = { width: 256, height: 256, cells: 60, nucleusDiameterPx: 16, seed: 4 };

    it('draws the asked fraction of tiny faint nuclei, labelled', () => {
      const nuclei = perNucleus(syntheticCells({ ...base, tinyNucleusFraction: 0.2 }));
      const typicalArea = Math.PI * 8 * 8;
      const medianDna = [...nuclei].sort((a, b) => a.dna - b.dna)[nuclei.length >> 1].dna;
      // 0.3–0.6× the diameter: at most 0.36× the typical area, and at most half as bright.
      const tiny = nuclei.filter((n) => n.area <= 0.4 * typicalArea && n.dna < 0.6 * medianDna);
      expect(tiny.length).toBeGreaterThanOrEqual(Math.round(0.2 * 60) - 2);
      expect(tiny.length).toBeLessThanOrEqual(Math.round(0.2 * 60) + 2);
      const plain = perNucleus(syntheticCells(base));
      expect(plain.filter((n) => n.area <= 0.4 * typicalArea && n.dna < 0.6 * medianDna)).toEqual(
        [],
      );
    });

    it('presses touching nuclei together, in clumps of three or more when asked', () => {
      const options = { ...base, touchingNucleusFraction: 0.5 };
      const apart = sharedBorders(syntheticCells(options).nucleusLabels);
      const pressed = sharedBorders(
        syntheticCells({ ...options, touchingOverlap: 0.4, touchingClusters: true }).nucleusLabels,
      );
      const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1];
      // Side by side they meet over a few pixels; pressed, along a flattened border.
      expect(median([...pressed.values()])).toBeGreaterThan(1.5 * median([...apart.values()]));
      const partners = (pairs: Map<string, number>): number => {
        const count = new Map<string, number>();
        for (const pair of pairs.keys())
          for (const l of pair.split('-')) count.set(l, (count.get(l) ?? 0) + 1);
        return Math.max(...count.values());
      };
      expect(partners(apart)).toBe(1);
      expect(partners(pressed)).toBeGreaterThanOrEqual(2);
    });

    it('darkens the DNA along the border of pressed nuclei', () => {
      const drawn = syntheticCells({
        ...base,
        touchingNucleusFraction: 0.5,
        touchingOverlap: 0.4,
        blurPx: 0.01,
        readNoise: 0,
        gain: 0,
        nucleusHoleFraction: 0,
      });
      const { width, data } = drawn.nucleusLabels;
      const dna = drawn.stack.planes[0].data;
      let border = 0;
      let borderCount = 0;
      let inside = 0;
      let insideCount = 0;
      for (let i = width; i < data.length - width; i++) {
        if (!data[i]) continue;
        const neighbours = [i - 1, i + 1, i - width, i + width].map((j) => data[j]);
        if (neighbours.some((l) => l && l !== data[i])) {
          border += dna[i];
          borderCount++;
        } else if (neighbours.every((l) => l === data[i])) {
          inside += dna[i];
          insideCount++;
        }
      }
      expect(border / borderCount).toBeLessThan(0.9 * (inside / insideCount));
    });

    it('lets nuclei be cut by the image edge with a small margin, never by default', () => {
      const touchesEdge = ({
        width,
        height,
        data,
      }: {
        width: number;
        height: number;
        data: Uint32Array;
      }) =>
        new Set(
          [...data.keys()]
            .filter((i) => {
              const [x, y] = [i % width, Math.floor(i / width)];
              return x === 0 || y === 0 || x === width - 1 || y === height - 1;
            })
            .map((i) => data[i])
            .filter((l) => l > 0),
        ).size;
      expect(touchesEdge(syntheticCells(base).nucleusLabels)).toBe(0);
      expect(
        touchesEdge(syntheticCells({ ...base, edgeMarginPx: 1 }).nucleusLabels),
      ).toBeGreaterThan(2);
    });
  });
});
