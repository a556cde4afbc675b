import { expect } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { createLabels } from '../../image/plane.js';
import type { Labels } from '../../image/types.js';
import { type StrokePoint } from '../index.js';

/** A label image from rows of values, top row first. */
export function fromRows(rows: number[][]): Labels {
  return createLabels(rows[0].length, rows.length, Uint32Array.from(rows.flat()));
}

export function toRows(labels: Labels): number[][] {
  const rows: number[][] = [];
  for (let y = 0; y < labels.height; y++) {
    rows.push([...labels.data.subarray(y * labels.width, (y + 1) * labels.width)]);
  }
  return rows;
}

export function pixelCount(labels: Labels, value: number): number {
  return labels.data.reduce((count, v) => count + (v === value ? 1 : 0), 0);
}

/** Pixels as "x,y" keys where `labels` holds `value`. */
export function pixelsOf(labels: Labels, value: number): Set<string> {
  const keys = new Set<string>();
  labels.data.forEach((v, i) => {
    if (v === value) keys.add(`${i % labels.width},${Math.floor(i / labels.width)}`);
  });
  return keys;
}

/** Integer points (dx, dy) with dx² + dy² ≤ r², counted with two plain loops. */
export function latticeDiskCount(radius: number): number {
  const reach = Math.ceil(radius);
  let count = 0;
  for (let dy = -reach; dy <= reach; dy++) {
    for (let dx = -reach; dx <= reach; dx++) if (dx * dx + dy * dy <= radius * radius) count++;
  }
  return count;
}

/** Euclidean distance from (px, py) to the segment a–b. */
export function distanceToSegment(px: number, py: number, a: StrokePoint, b: StrokePoint): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  const t =
    lengthSquared === 0
      ? 0
      : Math.min(1, Math.max(0, ((px - a.x) * dx + (py - a.y) * dy) / lengthSquared));
  return Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy));
}

/**
 * The documented stroke, written independently: a disk at every pixel of each segment's line
 * (one pixel per step of the longer axis, rounded), tested against every pixel of the image.
 */
export function referenceStroke(
  width: number,
  height: number,
  points: StrokePoint[],
  radius: number,
): Set<string> {
  const centres: StrokePoint[] = [points[0]];
  for (let p = 1; p < points.length; p++) {
    const a = points[p - 1];
    const b = points[p];
    const steps = Math.max(Math.abs(b.x - a.x), Math.abs(b.y - a.y));
    for (let k = 1; k <= steps; k++) {
      centres.push({
        x: a.x + Math.round((k * (b.x - a.x)) / steps),
        y: a.y + Math.round((k * (b.y - a.y)) / steps),
      });
    }
  }
  const covered = new Set<string>();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (centres.some((c) => (x - c.x) ** 2 + (y - c.y) ** 2 <= radius * radius)) {
        covered.add(`${x},${y}`);
      }
    }
  }
  return covered;
}

export function expectInvalid(run: () => unknown, message: RegExp): InvalidArgumentError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidArgumentError);
  const error = caught as InvalidArgumentError;
  expect(error.message).toMatch(message);
  return error;
}

/** 6 × 4: label 3 (4 px) and 7 (3 px) touch, 9 (2 px) stands apart. */
export const scene = (): Labels =>
  fromRows([
    [3, 3, 0, 0, 0, 9],
    [3, 3, 7, 0, 0, 9],
    [0, 7, 7, 0, 0, 0],
    [0, 0, 0, 0, 0, 0],
  ]);
