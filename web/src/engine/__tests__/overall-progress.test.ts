import { describe, expect, it } from 'vitest';
import { overallProgress, PROGRESS_STEPS, segmentationPasses } from '../overall-progress.js';

describe('overallProgress', () => {
  it('never goes back when the cells pass starts its tiles from 0 (9/9 → 8/25)', () => {
    const shown: number[] = [];
    const report = overallProgress(
      segmentationPasses({
        nuclei: { method: 'cellpose' },
        cells: { method: 'cellpose' },
      } as never),
      (_step, done, total) => {
        expect(total).toBe(PROGRESS_STEPS);
        shown.push(done);
      },
    );
    report('nuclei', 'segmenting nuclei', 0, 1);
    for (let t = 1; t <= 9; t++) report('nuclei', 'segmenting nuclei', t, 9);
    report('cells', 'segmenting cells', 0, 1);
    for (let t = 1; t <= 25; t++) report('cells', 'segmenting cells', t, 25);
    report('measuring', 'measuring', 0, 1);
    for (let i = 1; i < shown.length; i++) expect(shown[i]).toBeGreaterThanOrEqual(shown[i - 1]);
    // Weights 10, 10, 1: nuclei done = 10/21, cells 8/25 = (10 + 3.2)/21, all passes = 20/21.
    expect(shown[9]).toBe(Math.round((10 / 21) * 1000));
    expect(shown[18]).toBe(Math.round((13.2 / 21) * 1000));
    expect(shown[shown.length - 1]).toBe(Math.round((20 / 21) * 1000));
  });

  it('holds the bar on a late report from an earlier pass, and on unknown passes', () => {
    const shown: number[] = [];
    const report = overallProgress(
      [
        { name: 'a', weight: 1 },
        { name: 'b', weight: 1 },
      ],
      (_s, done) => shown.push(done),
    );
    report('b', 'b', 1, 2);
    report('a', 'a', 1, 2);
    report('other', 'other', 0, 1);
    expect(shown).toEqual([750, 750, 750]);
  });

  it('weighs a classical pass a tenth of a Cellpose one', () => {
    const passes = segmentationPasses({
      nuclei: { method: 'classical' },
      cells: { method: 'cellpose' },
    } as never);
    expect(passes.map((p) => [p.name, p.weight])).toEqual([
      ['nuclei', 1],
      ['cells', 10],
      ['measuring', 1],
    ]);
  });
});
