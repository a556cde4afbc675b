import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import { HAS_SHARED } from '../../../../test/shared.js';
import { normalize99, normalizeImage } from '../normalize.js';
import { normalize99Tile } from '../normalize-tile.js';
import type { Float32Plane } from '../types.js';
import { cellposeManifest, cellposeNpy, channelsLast, compare, interleave } from './helpers.js';

const ramp = (n: number, width = n): Float32Plane => ({
  width,
  height: n / width,
  data: Float32Array.from({ length: n }, (_, i) => i),
});

describe('normalize99', () => {
  it('maps the 1st and 99th percentiles (NumPy linear) to 0 and 1', () => {
    // 0…100: p1 = 1, p99 = 99 exactly.
    const out = normalize99(ramp(101));
    expect(out.data[1]).toBe(0);
    expect(out.data[99]).toBe(1);
    expect(out.data[50]).toBe(Math.fround(49 / 98));
    expect(out.data[0]).toBe(Math.fround(-1 / 98));
  });

  it('zeros a plane whose percentile spread is at most 1e-3', () => {
    const flat = { width: 3, height: 1, data: Float32Array.from([5, 5, 5.0005]) };
    expect(Array.from(normalize99(flat).data)).toEqual([0, 0, 0]);
  });

  it('keeps float64 planes in float64', () => {
    const out = normalize99({
      width: 101,
      height: 1,
      data: Float64Array.from({ length: 101 }, (_, i) => i),
    });
    expect(out.data).toBeInstanceOf(Float64Array);
    expect(out.data[50]).toBe(49 / 98);
  });

  it('takes percentiles from every ⌊H/224⌋-th row and ⌊W/224⌋-th column above 224³ pixels', () => {
    const side = 3360; // 3360² > 224³; steps of 15 → a 224 × 224 grid
    const data = new Float32Array(side * side).fill(1e6);
    let k = 0;
    for (let y = 0; y < side; y += 15) for (let x = 0; x < side; x += 15) data[y * side + x] = k++;
    const plane = { width: side, height: side, data };
    // The 50176 grid values are 0…50175: p1 = 501.75, p99 = 49673.25.
    const out = normalize99(plane, { downsample: true }).data;
    const range = Math.fround(49673.25 - 501.75);
    expect(out[0]).toBe(Math.fround(Math.fround(-501.75) / range));
    expect(out[15]).toBe(Math.fround(Math.fround(1 - 501.75) / range));
    expect(out[1]).toBe(Math.fround(Math.fround(1e6 - 501.75) / range));
    const full = normalize99(plane).data;
    expect(full[0]).toBe(0); // without subsampling p1 = p99 = 1e6 → all zeros
  });

  it('rejects percentiles outside [0, 100]', () => {
    expect(() => normalize99(ramp(10), { upper: 101 })).toThrow(InvalidArgumentError);
  });
});

describe('normalizeImage', () => {
  it('leaves a constant channel exactly as it is and normalises the others', () => {
    const constant = { width: 101, height: 1, data: new Float32Array(101).fill(7) };
    const [a, b] = normalizeImage([ramp(101), constant]);
    expect(a.data[99]).toBe(1);
    expect(Array.from(b.data)).toEqual(Array.from(constant.data));
  });

  it('inverts only normalised channels', () => {
    const constant = { width: 101, height: 1, data: new Float32Array(101).fill(7) };
    const [a, b] = normalizeImage([ramp(101), constant], { invert: true });
    expect(a.data[1]).toBe(1);
    expect(a.data[99]).toBe(0);
    expect(b.data[0]).toBe(7);
  });

  it('applies fixed lowhigh bounds to every channel, constant ones included', () => {
    const constant = { width: 101, height: 1, data: new Float32Array(101).fill(7) };
    const [a, b] = normalizeImage([ramp(101), constant], { lowhigh: [0, 100] });
    expect(a.data[50]).toBe(0.5);
    expect(b.data[0]).toBe(Math.fround(0.07));
    const [c] = normalizeImage([ramp(101)], { lowhigh: [[10, 20]] });
    expect(c.data[15]).toBe(0.5);
    expect(() =>
      normalizeImage([ramp(101)], {
        lowhigh: [
          [0, 1],
          [0, 1],
        ],
      }),
    ).toThrow(/1 channels/);
  });

  it('validates its options', () => {
    expect(() => normalizeImage([ramp(4)], { percentile: [50, 50] })).toThrow(InvalidArgumentError);
    expect(() => normalizeImage([ramp(4)], { normalize: false, invert: true })).toThrow(/invert/);
    expect(() => normalizeImage([ramp(4), ramp(6)])).toThrow(/same size/);
    expect(normalizeImage([ramp(4)], { normalize: false })[0].data).toEqual(ramp(4).data);
  });
});

describe('normalize99Tile', () => {
  it('normalises a plane smaller than one block like a clipped-free percentile map', () => {
    const [out] = normalize99Tile([ramp(101)], { blocksize: 200 });
    // One block: the bounds are the plain percentiles (smoothing a single cell keeps them to 1e-15).
    expect(out.data[1]).toBeCloseTo(0, 12);
    expect(out.data[99]).toBeCloseTo(1, 6);
  });

  it('maps an all-flat channel with bounds 0 and 1 (values unchanged)', () => {
    const [out] = normalize99Tile([{ width: 3, height: 2, data: new Float32Array(6).fill(4) }]);
    expect(Array.from(out.data)).toEqual([4, 4, 4, 4, 4, 4]);
  });
});

describe.skipIf(!HAS_SHARED)('normalisation against Cellpose 3.1.1.3', () => {
  it('normalize99 reproduces transforms/norm99_out.npy exactly', () => {
    const input = cellposeNpy('transforms/norm99_in.npy');
    const [height, width] = input.shape;
    const out = normalize99({ width, height, data: input.data as Uint16Array });
    expect(
      compare(out.data, cellposeNpy('transforms/norm99_out.npy').data as Float32Array),
    ).toEqual({
      maxAbs: 0,
      differing: 0,
    });
    const { p1, p99 } = cellposeManifest().transforms.normalize99;
    const sorted = Float32Array.from(input.data as Uint16Array).sort();
    const n = sorted.length;
    // The manifest's float64 percentiles follow from the same NumPy recipe.
    const at = (q: number) => {
      const v = (n - 1) * (q / 100);
      const lo = Math.floor(v);
      const g = v - lo;
      const d = Math.fround(sorted[lo + 1] - sorted[lo]);
      return g < 0.5 ? sorted[lo] + d * g : sorted[lo + 1] - d * (1 - g);
    };
    expect([at(1), at(99)]).toEqual([p1, p99]);
  });

  it.each([
    ['normimg_out', {}],
    ['normimg_out_invert', { invert: true }],
    ['normimg_out_p3_97', { percentile: [3, 97] as [number, number] }],
  ])('normalizeImage reproduces transforms/%s.npy exactly', (name, options) => {
    const planes = channelsLast(cellposeNpy('transforms/normimg_in.npy'));
    const out = normalizeImage(planes, options);
    const expected = cellposeNpy(`transforms/${name}.npy`).data as Float32Array;
    expect(compare(interleave(out), expected)).toEqual({ maxAbs: 0, differing: 0 });
  });

  it('tile normalisation reproduces transforms/tilenorm_out.npy exactly', () => {
    const planes = channelsLast(cellposeNpy('transforms/tilenorm_in.npy'));
    const out = normalizeImage(planes, { tileNormBlocksize: 100 });
    const expected = cellposeNpy('transforms/tilenorm_out.npy').data as Float32Array;
    expect(compare(interleave(out), expected)).toEqual({ maxAbs: 0, differing: 0 });
  });

  it('reproduces e2e/normalized.npy from e2e/converted.npy exactly', () => {
    const out = normalizeImage(channelsLast(cellposeNpy('e2e/converted.npy')));
    const expected = cellposeNpy('e2e/normalized.npy').data as Float32Array;
    expect(compare(interleave(out), expected)).toEqual({ maxAbs: 0, differing: 0 });
  });
});
