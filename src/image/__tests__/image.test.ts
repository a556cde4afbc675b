import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { toFloat32 } from '../convert.js';
import { crop } from '../crop.js';
import { createLabels, createPlane } from '../plane.js';
import { channelIndex, createStack, selectChannel, selectChannels } from '../stack.js';
import { histogram, mean, minMax, percentile } from '../stats.js';

const ramp = (n: number): Plane16 =>
  createPlane(
    n,
    1,
    Uint16Array.from({ length: n }, (_, i) => i),
  );
type Plane16 = ReturnType<typeof createPlane<Uint16Array>>;

describe('Plane and Labels', () => {
  it('refuses data whose length is not width × height', () => {
    expect(() => createPlane(3, 2, new Uint8Array(5))).toThrow(InvalidArgumentError);
    expect(() => createLabels(2, 2, new Uint32Array(3))).toThrow(InvalidArgumentError);
    expect(createLabels(4, 3).data).toHaveLength(12);
  });
});

describe('statistics', () => {
  it('min/max and mean ignore NaN; an all-NaN plane has none', () => {
    const plane = createPlane(4, 1, Float32Array.from([NaN, -2, 5, 3]));
    expect(minMax(plane)).toEqual([-2, 5]);
    expect(mean(plane)).toBe(2);
    expect(minMax(Float64Array.from([NaN]))).toEqual([NaN, NaN]);
    expect(mean(new Float64Array(0))).toBeNaN();
  });

  it('percentile interpolates linearly between order statistics, as numpy does', () => {
    // Closed form: for 0..100 the q-th percentile is q; for [1, 2, 3, 4] the 40th is 1 + 0.4 × 3.
    expect(percentile(ramp(101), [0, 1, 37.5, 99.8, 100])).toEqual([0, 1, 37.5, 99.8, 100]);
    expect(percentile(Float64Array.from([4, 1, 3, 2]), 40)).toBeCloseTo(2.2, 12);
    expect(percentile(Float32Array.from([NaN, 10, 20]), 50)).toBe(15);
    expect(() => percentile(ramp(3), 101)).toThrow(InvalidArgumentError);
  });

  it('counting sort for 8/16-bit agrees with a float sort', () => {
    const values = Uint16Array.from({ length: 1000 }, (_, i) => (i * 7919) % 4099);
    const q = [0.5, 3, 50, 97, 99.9];
    expect(percentile(values, q)).toEqual(percentile(Float64Array.from(values), q));
  });

  it('histogram has numpy.histogram edges and puts the maximum in the last bin', () => {
    const h = histogram(ramp(10), { bins: 3 });
    expect(Array.from(h.edges)).toEqual([0, 3, 6, 9]);
    expect(Array.from(h.counts)).toEqual([3, 3, 4]);
    const constant = histogram(new Uint8Array(5).fill(7), { bins: 2 });
    expect(Array.from(constant.edges)).toEqual([6.5, 7, 7.5]);
    expect(Array.from(constant.counts)).toEqual([0, 5]);
  });
});

describe('conversion and crop', () => {
  it('toFloat32 keeps values and copies', () => {
    const plane = createPlane(2, 1, Int16Array.from([-5, 7]));
    const f = toFloat32(plane);
    expect(Array.from(f.data)).toEqual([-5, 7]);
    f.data[0] = 1;
    expect(plane.data[0]).toBe(-5);
  });

  it('crop copies a rectangle and refuses one outside the plane', () => {
    const plane = createPlane(
      4,
      3,
      Uint8Array.from({ length: 12 }, (_, i) => i),
    );
    const out = crop(plane, { top: 1, left: 1, width: 2, height: 2 });
    expect(Array.from(out.data)).toEqual([5, 6, 9, 10]);
    expect(out.data).toBeInstanceOf(Uint8Array);
    expect(() => crop(plane, { top: 2, left: 0, width: 4, height: 2 })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('Stack channel selection', () => {
  const planes = [0, 1, 2].map((c) => createPlane(2, 1, Uint8Array.from([c, c])));
  const stack = createStack(planes, { channelNames: ['DAPI', 'GFP', '7'] });

  it('finds a channel by index, by name (case-insensitively) and by numeric string', () => {
    expect(selectChannel(stack, 1).data[0]).toBe(1);
    expect(selectChannel(stack, 'gfp').data[0]).toBe(1);
    expect(channelIndex(stack, '2')).toBe(2);
    expect(channelIndex(stack, '7')).toBe(2); // an exact name wins over an index
    expect(selectChannels(stack, ['GFP', 0]).channelNames).toEqual(['GFP', 'DAPI']);
  });

  it('explains a missing channel', () => {
    expect(() => selectChannel(stack, 3)).toThrow(/3 channels \(0–2\)/);
    expect(() => selectChannel(stack, 'mCherry')).toThrow(/"DAPI", "GFP", "7"/);
  });

  it('refuses planes of different sizes or dtypes', () => {
    expect(() => createStack([planes[0], createPlane(1, 2, new Uint8Array(2))])).toThrow(
      InvalidArgumentError,
    );
    expect(() => createStack([planes[0], createPlane(2, 1, new Uint16Array(2))])).toThrow(
      InvalidArgumentError,
    );
  });
});
