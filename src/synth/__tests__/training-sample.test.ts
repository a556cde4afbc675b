import { describe, expect, it } from 'vitest';
import { trainingSample } from '../training-sample.js';

describe('trainingSample', () => {
  it('is a deterministic function of its seed', () => {
    const a = trainingSample({ seed: 42, target: 'nuclei', size: 128 });
    const b = trainingSample({ seed: 42, target: 'nuclei', size: 128 });
    expect(b.stack.planes[0].data).toEqual(a.stack.planes[0].data);
    expect(b.labels.data).toEqual(a.labels.data);
    expect(trainingSample({ seed: 43, target: 'nuclei', size: 128 }).labels.data).not.toEqual(
      a.labels.data,
    );
  });

  it('gives the DNA channel for nuclei and cytoplasm + DNA for cells, labels numbered 1..n', () => {
    for (const target of ['nuclei', 'cells'] as const) {
      for (let seed = 0; seed < 6; seed++) {
        const { stack, labels } = trainingSample({ seed, target, size: 128 });
        expect(stack.channelNames).toEqual(target === 'nuclei' ? ['DNA'] : ['cytoplasm', 'DNA']);
        const present = [...new Set(labels.data)].filter((v) => v > 0).sort((x, y) => x - y);
        expect(present).toEqual(present.map((_, i) => i + 1));
        expect(present.length).toBeGreaterThan(0);
      }
    }
  });

  it('varies what a microscope varies: object size, bit depth, distractors', () => {
    const samples = Array.from({ length: 40 }, (_, seed) =>
      trainingSample({ seed, target: 'nuclei', size: 96 }),
    );
    const diameters = samples.map((s) => s.settings.objectDiameter as number);
    expect(Math.min(...diameters)).toBeLessThan(13);
    expect(Math.max(...diameters)).toBeGreaterThan(23);
    expect(samples.some((s) => s.stack.planes[0].data instanceof Uint8Array)).toBe(true);
    expect(samples.some((s) => s.stack.planes[0].data instanceof Uint16Array)).toBe(true);
    for (const key of ['outOfFocusNuclei', 'bleedThrough', 'debris']) {
      expect(
        samples.some((s) => Number(s.settings[key]) > 0),
        key,
      ).toBe(true);
      expect(
        samples.some((s) => Number(s.settings[key]) === 0),
        key,
      ).toBe(true);
    }
  });
});
