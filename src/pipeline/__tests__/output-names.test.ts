import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { BATCH_OUTPUTS } from '../batch.js';
import { assertDistinctFolders, safeFolderName, uniqueOutputNames } from '../output-names.js';

const one = (file: string, name: string) => ({ name, files: [file] });

describe('safeFolderName', () => {
  it('keeps ordinary names as they are', () => {
    for (const name of ['x', 'img_01', 'A1 (dapi)', 'é', '.hidden', 'a.b']) {
      expect(safeFolderName(name)).toBe(name);
    }
  });

  it('never gives a separator, a dots-only name, a trailing dot or a device name', () => {
    expect(safeFolderName('..')).toBe('__');
    expect(safeFolderName('.')).toBe('_');
    expect(safeFolderName('')).toBe('_');
    expect(safeFolderName('a/../b')).toBe('a_.._b');
    expect(safeFolderName('..\\evil')).toBe('.._evil');
    expect(safeFolderName('x.')).toBe('x_');
    expect(safeFolderName('x. ')).toBe('x__');
    expect(safeFolderName('a:b*c?"<>|\n')).toBe('a_b_c______');
    expect(safeFolderName('NUL')).toBe('NUL_');
    expect(safeFolderName('com1.tif')).toBe('com1.tif_');
  });
});

describe('uniqueOutputNames', () => {
  it('tells two x.tif of two folders apart by their folders, and says why', () => {
    const named = uniqueOutputNames([
      one(join('in', 'd1', 'x.tif'), 'x'),
      one(join('in', 'd2', 'x.tif'), 'x'),
      one(join('in', 'd2', 'y.tif'), 'y'),
    ]);
    expect(named.map((n) => n.name)).toEqual(['d1_x', 'd2_x', 'y']);
    expect(named[0].renamed).toEqual({ from: 'x', reason: 'another input has that name too' });
    expect(named[2].renamed).toBeUndefined();
  });

  it('uses as many folders as the files differ by', () => {
    const named = uniqueOutputNames([
      one('/data/a/day1/x.tif', 'x'),
      one('/data/b/day1/x.tif', 'x'),
      one('/data/a/x.tif', 'x'),
    ]);
    expect(named.map((n) => n.name)).toEqual(['a_day1_x', 'b_day1_x', 'a_x']);
  });

  it('adds the extension when the folders are the same, and ignores case', () => {
    const named = uniqueOutputNames([one('/d/x.tif', 'x'), one('/d/X.png', 'X')]);
    expect(named.map((n) => n.name)).toEqual(['x_tif', 'X_png']);
  });

  it("renames an image named like one of the batch's own outputs", () => {
    const [plots] = uniqueOutputNames([one('/d/plots.tif', 'plots')], BATCH_OUTPUTS);
    expect(plots.name).toBe('plots_tif');
    expect(plots.renamed?.reason).toBe('the batch writes its own plots there');
  });

  it('sanitises a stem of dots (a file named ...tif)', () => {
    const [dots] = uniqueOutputNames([one('/d/...tif', '..')]);
    expect(dots).toEqual({
      name: '__',
      files: ['/d/...tif'],
      renamed: { from: '..', reason: 'it is not a safe folder name' },
    });
  });

  it('refuses a file given twice', () => {
    expect(() => uniqueOutputNames([one('/d/x.tif', 'x'), one('/d/../d/x.tif', 'x')])).toThrow(
      /is given twice \(also as \/d\/x\.tif\)/,
    );
  });

  it('refuses names that still collide after telling them apart', () => {
    const attempt = () =>
      uniqueOutputNames([
        one('/in/d1/x.tif', 'x'),
        one('/in/d2/x.tif', 'x'),
        one('/in/d1_x.tif', 'd1_x'),
      ]);
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow('its outputs would go to d1_x/, as would those of /in/d1/x.tif');
  });
});

describe('assertDistinctFolders', () => {
  it('refuses names that are not one folder inside the results folder', () => {
    for (const name of ['..', '.', '', 'a/b', '../out2', 'x.']) {
      expect(() => assertDistinctFolders([one('/d/a.tif', name)], [], '/res'), name).toThrow(
        `the output folder name "${name}" would not be one folder inside /res`,
      );
    }
  });

  it("refuses two images in one folder, and an image in the batch's own outputs", () => {
    expect(() => assertDistinctFolders([one('/a/x.tif', 'x'), one('/b/X.tif', 'X')])).toThrow(
      'its outputs would go to X/, as would those of /a/x.tif',
    );
    expect(() => assertDistinctFolders([one('/a/s.tif', 'summary.json')], BATCH_OUTPUTS)).toThrow(
      'its outputs would go to summary.json/, a name the batch needs for its own summary.json',
    );
    expect(() =>
      assertDistinctFolders([one('/a/x.tif', 'x'), one('/b/x.tif', 'd2_x')]),
    ).not.toThrow();
  });
});
