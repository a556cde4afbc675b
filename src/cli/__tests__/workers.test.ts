import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { capWorkers } from '../workers.js';

describe('capWorkers', () => {
  it('caps at the images and the cores, and says so', () => {
    expect(capWorkers(64, 1, 16)).toEqual({
      workers: 1,
      note: '--workers 64 capped at 1 (1 image, 16 cores)',
    });
    expect(capWorkers(200, 50, 2)).toEqual({
      workers: 2,
      note: '--workers 200 capped at 2 (50 images, 2 cores)',
    });
    expect(capWorkers(4, 10, 8)).toEqual({ workers: 4 });
    expect(capWorkers(3, 0, 8).workers).toBe(1);
  });

  it('refuses fewer than one worker', () => {
    expect(() => capWorkers(0, 3, 4)).toThrow(InvalidArgumentError);
    expect(() => capWorkers(-2, 3, 4)).toThrow('--workers must be a whole number ≥ 1, got -2');
  });
});
