import { describe, expect, it } from 'vitest';
import {
  erf,
  erfc,
  logBeta,
  logGamma,
  normalCdf,
  normalPdf,
  normalQuantile,
  normalSf,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
  studentTSf,
} from '../special.js';

/** |actual − expected| ≤ tolerance·|expected| (exactly equal passes, also for 0 and ±∞). */
function expectRelative(actual: number, expected: number, tolerance = 1e-13): void {
  if (actual === expected) return;
  expect(Math.abs(actual - expected), `got ${actual}, want ${expected}`).toBeLessThanOrEqual(
    tolerance * Math.abs(expected),
  );
}

function expectAbsolute(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected), `got ${actual}, want ${expected}`).toBeLessThanOrEqual(
    tolerance,
  );
}

/** Σ log k for k = from…to (log of a product of integers), compensated (Neumaier). */
function sumOfLogs(from: number, to: number): number {
  let s = 0;
  let c = 0;
  for (let k = from; k <= to; k++) {
    const v = Math.log(k);
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

/**
 * I_x(a, b) for integers a, b as the binomial tail Σ_{j=a}^{a+b−1} C(a+b−1, j) xʲ(1−x)^(a+b−1−j)
 * (DLMF 8.17.5), all terms positive.
 */
function binomialTail(a: number, b: number, x: number): number {
  const n = a + b - 1;
  let sum = 0;
  for (let j = a; j <= n; j++) {
    const logC = sumOfLogs(j + 1, n) - sumOfLogs(1, n - j);
    sum += Math.exp(logC + j * Math.log(x) + (n - j) * Math.log1p(-x));
  }
  return sum;
}

describe('logGamma', () => {
  it('is log((n − 1)!) at the integers', () => {
    for (let n = 3; n <= 170; n++) expectRelative(logGamma(n), sumOfLogs(1, n - 1), 1e-14);
    expect(logGamma(1)).toBe(0);
    expect(logGamma(2)).toBe(0);
  });

  it('is log √π at ½ and follows Γ(x + 1) = x·Γ(x)', () => {
    expectRelative(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
    for (const x of [1e-8, 0.1, 0.7, 1.3, 2.5, 9.5, 9.999, 12.25, 1e3, 1e7]) {
      expectAbsolute(logGamma(x + 1) - logGamma(x), Math.log(x), 4e-15 * Math.max(1, logGamma(x)));
    }
  });

  it('handles the edges', () => {
    expect(logGamma(0)).toBe(Infinity);
    expect(logGamma(-1)).toBeNaN();
    expect(logGamma(NaN)).toBeNaN();
  });
});

describe('logBeta', () => {
  it('is −log a for b = 1 and −log(a(a + 1)) for b = 2, for small and huge a', () => {
    for (const a of [0.5, 3, 9.5, 10, 17.5, 1e3, 1e6, 1e12]) {
      expectRelative(logBeta(a, 1), -Math.log(a), 1e-14);
      expectRelative(logBeta(2, a), -Math.log(a) - Math.log(a + 1), 1e-14);
    }
  });

  it('is log((a−1)!/(b(b+1)…(b+a−1))) for integers a ≤ b, both large', () => {
    for (const [a, b] of [
      [20, 30],
      [149, 149],
      [12, 5000],
    ]) {
      expectRelative(logBeta(a, b), sumOfLogs(1, a - 1) - sumOfLogs(b, b + a - 1), 1e-14);
    }
  });
});

describe('regularizedIncompleteBeta', () => {
  it('is xᵃ for b = 1 and 1 − (1 − x)ᵇ for a = 1', () => {
    for (const x of [1e-6, 0.01, 0.3, 0.5, 0.9, 0.999]) {
      for (const p of [0.5, 2, 7.5, 150, 1e4]) {
        expectRelative(regularizedIncompleteBeta(p, 1, x), x ** p, 1e-12);
        expectRelative(regularizedIncompleteBeta(1, p, x), -Math.expm1(p * Math.log1p(-x)), 1e-12);
      }
    }
  });

  it('is (2/π)·asin(√x) for a = b = ½', () => {
    for (const x of [1e-10, 0.05, 0.5, 0.77, 0.99]) {
      expectRelative(
        regularizedIncompleteBeta(0.5, 0.5, x),
        (2 / Math.PI) * Math.asin(Math.sqrt(x)),
      );
    }
  });

  it('matches the binomial tail for integer parameters, deep in the tails', () => {
    for (const [a, b, x] of [
      [149, 149, 0.04],
      [149, 149, 0.45],
      [30, 300, 0.2],
      [5, 80, 0.001],
      [2000, 3, 0.995],
    ]) {
      expectRelative(regularizedIncompleteBeta(a, b, x), binomialTail(a, b, x), 1e-12);
    }
  });

  it('is symmetric: I_x(a, b) = 1 − I_{1−x}(b, a), and ½ at x = ½ when a = b', () => {
    for (const [a, b, x] of [
      [0.5, 3, 0.25],
      [4, 2.5, 0.6],
      [40, 60, 0.375],
    ]) {
      expectAbsolute(
        regularizedIncompleteBeta(a, b, x) + regularizedIncompleteBeta(b, a, 1 - x),
        1,
        4e-16,
      );
    }
    for (const a of [0.5, 1, 7, 148.5, 1e4]) {
      expectRelative(regularizedIncompleteBeta(a, a, 0.5), 0.5, 1e-14);
    }
  });

  it('handles the edges', () => {
    expect(regularizedIncompleteBeta(2, 3, 0)).toBe(0);
    expect(regularizedIncompleteBeta(2, 3, 1)).toBe(1);
    expect(regularizedIncompleteBeta(-1, 3, 0.5)).toBeNaN();
    expect(regularizedIncompleteBeta(2, 3, 1.5)).toBeNaN();
  });
});

describe('Student t', () => {
  const ts = [1e-8, 0.1, 0.5, 1, 2.5, 10, 1e3, 1e8, 1e200];

  it('is the Cauchy distribution with 1 degree of freedom', () => {
    for (const t of ts) {
      // P(T > t) = atan(1/t)/π, accurate in the tail.
      expectRelative(studentTSf(t, 1), Math.atan(1 / t) / Math.PI);
      expectRelative(studentTCdf(-t, 1), Math.atan(1 / t) / Math.PI);
      expectRelative(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 2e-15);
    }
  });

  it('has the closed form P(T > t) = 1/(s(s + t)), s = √(2 + t²), with 2 degrees of freedom', () => {
    for (const t of ts.slice(0, -1)) {
      const s = Math.sqrt(2 + t * t);
      expectRelative(studentTSf(t, 2), 1 / (s * (s + t)));
    }
  });

  it('has the closed form with 4 degrees of freedom', () => {
    // F(t) = ½ + (3/8)·(t/√(1 + t²/4))·(1 − t²/(12(1 + t²/4))).
    for (const t of [-20, -3, -0.4, 0.2, 1.7, 6]) {
      const u = 1 + (t * t) / 4;
      const cdf = 0.5 + (3 / 8) * (t / Math.sqrt(u)) * (1 - (t * t) / (12 * u));
      expectRelative(studentTCdf(t, 4), cdf, 1e-12);
    }
  });

  it('tends to the normal distribution', () => {
    for (const t of [-6, -2, 0.5, 3]) {
      expect(studentTCdf(t, Infinity)).toBe(normalCdf(t));
      // The difference is O(1/df): (t³ + t)·φ(t)/(4·df) to first order.
      const firstOrder = ((t ** 3 + t) * normalPdf(t)) / (4 * 1e9);
      // Both CDFs are accurate to a few ulp of their value, which bounds what can be resolved.
      expectAbsolute(studentTCdf(t, 1e9) - normalCdf(t), -firstOrder, 1e-15);
    }
  });

  it('has closed-form quantiles with 1 and 2 degrees of freedom', () => {
    for (const p of [1e-12, 0.01, 0.3, 0.6, 0.975, 0.999]) {
      // tan(π(p − ½)), written as a cotangent so that p − ½ does not round away small p.
      const cauchy = p < 0.5 ? -1 / Math.tan(Math.PI * p) : 1 / Math.tan(Math.PI * (1 - p));
      expectRelative(studentTQuantile(p, 1), cauchy, 1e-14);
      expectRelative(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 1e-14);
    }
  });

  it('inverts its CDF', () => {
    for (const df of [1.5, 3, 7.5, 30, 1e4, 1e7]) {
      for (const p of [1e-100, 1e-10, 0.01, 0.3, 0.49, 0.51, 0.9, 0.975, 0.999999]) {
        const t = studentTQuantile(p, df);
        const back = p < 0.5 ? studentTCdf(t, df) : studentTSf(t, df);
        expectRelative(back, p < 0.5 ? p : 1 - p, 1e-12);
      }
    }
    expect(studentTQuantile(0.5, 5)).toBe(0);
    expect(studentTQuantile(0, 5)).toBe(-Infinity);
    expect(studentTQuantile(1, 5)).toBe(Infinity);
  });
});

describe('normal distribution', () => {
  it('is symmetric, ½ at 0, and erf + erfc = 1', () => {
    expect(normalCdf(0)).toBe(0.5);
    for (const z of [0.1, 0.7, 1.3, 2.9, 6]) {
      expectAbsolute(normalCdf(z) + normalCdf(-z), 1, 2e-16);
      expect(normalSf(z)).toBe(normalCdf(-z));
      expectAbsolute(erf(z) + erfc(z), 1, 2e-16);
      expect(erf(-z)).toBe(-erf(z));
    }
  });

  it('follows the asymptotic tail series φ(z)/z·Σ(−1)ᵏ(2k − 1)!!/z^(2k) far out', () => {
    for (const z of [20, 30, 37]) {
      let term = 1;
      let series = 1;
      for (let k = 1; k < 12; k++) {
        term *= -(2 * k - 1) / (z * z);
        series += term;
      }
      const phi = Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
      expectRelative(normalCdf(-z), (phi / z) * series, 1e-13);
    }
  });

  it('has the tabulated quantiles and inverts its CDF', () => {
    // Abramowitz & Stegun, Table 26.5: Q = 0.025 → 1.959963985, Q = 0.005 → 2.575829304.
    expectAbsolute(normalQuantile(0.975), 1.959963985, 5e-10);
    expectAbsolute(normalQuantile(0.005), -2.575829304, 5e-10);
    for (const p of [1e-300, 1e-20, 1e-5, 0.1, 0.3, 0.4999, 0.75, 0.99]) {
      const z = normalQuantile(p);
      // The round trip amplifies z's last-bit error by ~z²: 1e-13 relative allows for z ≈ 37.
      expectRelative(
        p < 0.5 ? normalCdf(z) : normalSf(z),
        p < 0.5 ? p : 1 - p,
        1e-13 * Math.max(1, (z * z) / 10),
      );
    }
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
  });
});
