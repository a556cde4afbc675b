import { describe, expect, it } from 'vitest';
import { overallProgress, PROGRESS_STEPS, segmentationPasses } from '../overall-progress.js';

/** A run whose nuclei pass is Cellpose with diameter 'auto', and what its bar showed. */
function autoNucleiPass(largeObjectCheck?: boolean) {
  const shown: { step: string; done: number }[] = [];
  const report = overallProgress(
    segmentationPasses({
      nuclei: { method: 'cellpose', diameter: 'auto', largeObjectCheck },
      cells: { method: 'classical' },
    } as never),
    (step, done) => shown.push({ step, done }),
    { now: () => 0 },
  );
  return { shown, report };
}

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

  it("places an 'auto' pass's four network runs by stage (9/9, 25/25, 7/7, 8/25) and says which", () => {
    const { shown, report } = autoNucleiPass();
    report('nuclei', 'n', 0, 1);
    report('nuclei', 'n', 9, 9, 'style');
    report('nuclei', 'n', 25, 25, 'size');
    report('nuclei', 'n', 7, 7, 'large-objects');
    report('nuclei', 'n', 8, 25, 'masks');
    // Runs weigh 1, 2, 0.5, 2 (the large-object check at half resolution) of a pass weighing 10
    // of 12: 1/5.5, 3/5.5, 3.5/5.5, then (3.5 + 8/25 × 2)/5.5.
    expect(shown.map((s) => s.done)).toEqual(
      [0, 1, 3, 3.5, 3.5 + (8 / 25) * 2].map((f) => Math.round(((f / 5.5) * 10 * 1000) / 12)),
    );
    expect(shown.map((s) => s.step).slice(1)).toEqual([
      'n (network 1 of 4)',
      'n (network 2 of 4)',
      'n (network 3 of 4)',
      'n (network 4 of 4)',
    ]);
  });

  it('holds the bar through a followed large object, then moves it through the last run', () => {
    const { shown, report } = autoNucleiPass();
    report('nuclei', 'n', 9, 9, 'style');
    report('nuclei', 'n', 25, 25, 'size');
    // The check follows a large object: three more runs of its own before the masks.
    for (const total of [7, 25, 4, 9]) {
      report('nuclei', 'n', 1, total, 'large-objects');
      report('nuclei', 'n', total, total, 'large-objects');
    }
    const checkDone = Math.round(((3.5 / 5.5) * 10 * 1000) / 12);
    expect(shown.at(-1)).toEqual({ step: 'n (network 3 of 4)', done: checkDone });
    report('nuclei', 'n', 3, 9, 'masks');
    report('nuclei', 'n', 6, 9, 'masks');
    const masks = [3, 6].map((t) => Math.round((((3.5 + (t / 9) * 2) / 5.5) * 10 * 1000) / 12));
    expect(shown.slice(-2)).toEqual(masks.map((done) => ({ step: 'n (network 4 of 4)', done })));
    expect(masks[0]).toBeGreaterThan(checkDone);
    expect(masks[1]).toBeLessThan(Math.round(10000 / 12));
  });

  it('counts three network runs with largeObjectCheck false (9/9, 25/25, 8/25)', () => {
    const { shown, report } = autoNucleiPass(false);
    report('nuclei', 'n', 0, 1);
    report('nuclei', 'n', 9, 9, 'style');
    report('nuclei', 'n', 25, 25, 'size');
    report('nuclei', 'n', 8, 25, 'masks');
    // Runs weigh 1, 2, 2 of a pass weighing 10 of 12: 1/5, 3/5, then (3 + 8/25 × 2)/5.
    expect(shown.map((s) => s.done)).toEqual(
      [0, 1 / 5, 3 / 5, (3 + (8 / 25) * 2) / 5].map((f) => Math.round(((f * 10) / 12) * 1000)),
    );
    expect(shown.map((s) => s.step)).toEqual([
      'n',
      'n (network 1 of 3)',
      'n (network 2 of 3)',
      'n (network 3 of 3)',
    ]);
  });

  it('ends the text with the time left at the pace so far, once a twentieth is done', () => {
    let clock = 0;
    const steps: string[] = [];
    const report = overallProgress([{ name: 'a', weight: 1 }], (step) => steps.push(step), {
      now: () => clock,
    });
    clock = 1000;
    report('a', 'a', 1, 100);
    clock = 10_000;
    report('a', 'a', 1, 4);
    clock = 100_000;
    report('a', 'a', 1, 2);
    // 1 % done: no estimate; a quarter in 10 s: 30 s left; half in 100 s: 100 s ≈ 2 min left.
    expect(steps).toEqual(['a', 'a · about 30 s left', 'a · about 2 min left']);
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
