import { describe, expect, it } from 'vitest';
import { createLabels } from '../../image/plane.js';
import { deleteLabels, labelsAt, mergeLabels, nextFreeLabel } from '../index.js';
import { fromRows, toRows, pixelCount, pixelsOf, expectInvalid, scene } from './edit-helpers.js';

describe('labelsAt', () => {
  const labels = scene();

  it('reads the label under a pixel, flooring fractional coordinates', () => {
    expect(labelsAt(labels, 0, 0)).toBe(3);
    expect(labelsAt(labels, 2, 1)).toBe(7);
    expect(labelsAt(labels, 5.99, 1.99)).toBe(9);
    expect(labelsAt(labels, 2.5, 2.5)).toBe(7);
    expect(labelsAt(labels, 3, 3)).toBe(0);
  });

  it('gives background outside the image', () => {
    expect(labelsAt(labels, -0.5, 0)).toBe(0);
    expect(labelsAt(labels, 0, -1)).toBe(0);
    expect(labelsAt(labels, 6, 0)).toBe(0);
    expect(labelsAt(labels, 0, 4)).toBe(0);
    expect(labelsAt(labels, Number.NaN, 0)).toBe(0);
    expect(labelsAt(labels, 0, Infinity)).toBe(0);
  });
});

describe('nextFreeLabel', () => {
  it('is the largest label plus 1', () => {
    expect(nextFreeLabel(scene())).toBe(10);
    expect(nextFreeLabel(fromRows([[0, 2, 0, 40]]))).toBe(41);
  });

  it('is 1 for an image without objects', () => {
    expect(nextFreeLabel(createLabels(5, 3))).toBe(1);
    expect(nextFreeLabel(createLabels(0, 0))).toBe(1);
  });

  it('throws when the largest label value is taken', () => {
    const error = expectInvalid(() => nextFreeLabel(fromRows([[0, 0xffffffff]])), /largest label/);
    expect(error.hint).toMatch(/renumber/);
  });
});

describe('deleteLabels', () => {
  it('sets the deleted objects to background and lists them ascending', () => {
    const labels = scene();
    const result = deleteLabels(labels, [9, 3]);
    expect(result.removed).toEqual([3, 9]);
    expect(toRows(result.labels)).toEqual([
      [0, 0, 0, 0, 0, 0],
      [0, 0, 7, 0, 0, 0],
      [0, 7, 7, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
    ]);
    expect(pixelCount(result.labels, 0)).toBe(24 - 3);
    expect(pixelCount(result.labels, 7)).toBe(3);
  });

  it('ignores ids that are not in the image and repeated ids', () => {
    const result = deleteLabels(scene(), [7, 42, 7, 100]);
    expect(result.removed).toEqual([7]);
    expect(pixelCount(result.labels, 7)).toBe(0);
    expect(pixelCount(result.labels, 3)).toBe(4);
    expect(pixelCount(result.labels, 9)).toBe(2);
  });

  it('returns an unchanged copy for no ids or absent ids', () => {
    const labels = scene();
    for (const ids of [[], [5, 6]]) {
      const result = deleteLabels(labels, ids);
      expect(result.removed).toEqual([]);
      expect(result.labels.data).toEqual(labels.data);
      expect(result.labels.data).not.toBe(labels.data);
    }
  });

  it('does not change the input', () => {
    const labels = scene();
    const before = labels.data.slice();
    const result = deleteLabels(labels, [3, 7, 9]);
    expect(labels.data).toEqual(before);
    expect(result.labels.data.buffer).not.toBe(labels.data.buffer);
    expect(pixelCount(result.labels, 0)).toBe(24);
  });

  it('rejects ids that cannot be labels', () => {
    expect(expectInvalid(() => deleteLabels(scene(), [0]), /background/).hint).toBeDefined();
    expectInvalid(() => deleteLabels(scene(), [-1]), /not a label value/);
    expectInvalid(() => deleteLabels(scene(), [1.5]), /not a label value/);
    expectInvalid(() => deleteLabels(scene(), [2 ** 32]), /not a label value/);
    expectInvalid(() => deleteLabels(scene(), [Number.NaN]), /not a label value/);
  });
});

describe('mergeLabels', () => {
  it('gives every listed object the smallest listed label present', () => {
    const labels = scene();
    const result = mergeLabels(labels, [7, 9, 3]);
    expect(result.into).toBe(3);
    expect(pixelCount(result.labels, 3)).toBe(4 + 3 + 2);
    expect(pixelCount(result.labels, 7)).toBe(0);
    expect(pixelCount(result.labels, 9)).toBe(0);
    expect(pixelCount(result.labels, 0)).toBe(24 - 9);
  });

  it('skips absent ids when choosing the label', () => {
    const result = mergeLabels(scene(), [1, 9, 7]);
    expect(result.into).toBe(7);
    expect(toRows(result.labels)).toEqual([
      [3, 3, 0, 0, 0, 7],
      [3, 3, 7, 0, 0, 7],
      [0, 7, 7, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
    ]);
  });

  it('merges objects that do not touch into one label with separate parts', () => {
    const result = mergeLabels(scene(), [3, 9]);
    expect(result.into).toBe(3);
    expect(pixelsOf(result.labels, 3)).toEqual(new Set(['0,0', '1,0', '0,1', '1,1', '5,0', '5,1']));
    expect(pixelCount(result.labels, 7)).toBe(3);
  });

  it('does not change the input', () => {
    const labels = scene();
    const before = labels.data.slice();
    mergeLabels(labels, [3, 7]);
    expect(labels.data).toEqual(before);
  });

  it('needs at least two listed labels in the image', () => {
    const error = expectInvalid(() => mergeLabels(scene(), [3, 42]), /found only 3/);
    expect(error.hint).toMatch(/two or more/);
    expectInvalid(() => mergeLabels(scene(), [3, 3]), /found only 3/);
    expectInvalid(() => mergeLabels(scene(), [41, 42]), /found none/);
    expectInvalid(() => mergeLabels(scene(), []), /found none/);
    expectInvalid(() => mergeLabels(scene(), [0, 3, 7]), /background/);
  });
});
