import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { fitSizeModel } from '../fit-size-model.js';
import { diameterFromStyle } from '../size-model.js';

describe('fitSizeModel', () => {
  it('gives the closed-form ridge slope for one-element styles', () => {
    // x = [0, 1, 2], y = log(d / 30) = [0, 0.5, 1]: smean 1, ymean 0.5,
    // A = Σ(x − x̄)(y − ȳ) / (Σ(x − x̄)² + λ) = 1 / (2 + 1).
    const samples = [0, 0.5, 1].map((y, i) => ({ style: [i], diameter: 30 * Math.exp(y) }));
    const model = fitSizeModel(samples, { diamMean: 30 });
    expect(Array.from(model.smean)).toEqual([1]);
    expect(model.ymean).toBeCloseTo(0.5, 12);
    expect(model.A[0]).toBeCloseTo(1 / 3, 12);
    expect(model.diamMean).toBe(30);
  });

  it('recovers an exact log-linear size law without the penalty, and predicts its diameters', () => {
    // log(d / 17) = 0.1 + 0.3·s₀ − 0.2·s₁ + 0·s₂ on five styles in general position.
    const styles = [
      [0, 0, 1],
      [1, 0, 0],
      [0, 2, 1],
      [3, 1, 0],
      [1, 1, 2],
    ];
    const samples = styles.map((s) => ({
      style: s,
      diameter: 17 * Math.exp(0.1 + 0.3 * s[0] - 0.2 * s[1]),
    }));
    const model = fitSizeModel(samples, { diamMean: 17, l2Regularization: 0 });
    expect(model.A[0]).toBeCloseTo(0.3, 10);
    expect(model.A[1]).toBeCloseTo(-0.2, 10);
    expect(model.A[2]).toBeCloseTo(0, 10);
    for (const { style, diameter } of samples) {
      expect(diameterFromStyle(style, model)).toBeCloseTo(diameter, 8);
    }
  });

  it('refuses no samples, styles of different lengths and diameters that are not positive', () => {
    expect(() => fitSizeModel([], { diamMean: 30 })).toThrow(InvalidArgumentError);
    const mixed = [
      { style: [0, 1], diameter: 30 },
      { style: [0], diameter: 30 },
    ];
    expect(() => fitSizeModel(mixed, { diamMean: 30 })).toThrow(/differ in length/);
    expect(() => fitSizeModel([{ style: [0], diameter: 0 }], { diamMean: 30 })).toThrow(/positive/);
  });
});
