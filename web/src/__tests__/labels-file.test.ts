import { describe, expect, it } from 'vitest';
import type { LabelProbe } from '../engine/protocol.js';
import { isLabelImageFor, layerFromFileName } from '../labels-file.js';

const image = { width: 512, height: 512 };
const probe = (change: Partial<LabelProbe> = {}): LabelProbe => ({
  width: 512,
  height: 512,
  channels: 1,
  integer: true,
  flatFraction: 0.3,
  ...change,
});

describe('layerFromFileName', () => {
  it('reads the layer from the names the app and the CLI write', () => {
    expect(layerFromFileName('cells.tif')).toBe('cells');
    expect(layerFromFileName('nuclei.tif')).toBe('nuclei');
    expect(layerFromFileName('AS_09125_050116030001_D03f00_cells.tif')).toBe('cells');
    expect(layerFromFileName('AS_09125_050116030001_D03f00_nuclei.tif')).toBe('nuclei');
    expect(layerFromFileName('out/img1/nuclei.tiff')).toBe('nuclei');
  });

  it('reads the usual spellings of label files', () => {
    expect(layerFromFileName('well_B2_nucleus_masks.tif')).toBe('nuclei');
    expect(layerFromFileName('cell-labels.TIF')).toBe('cells');
    expect(layerFromFileName('img_cells_cp_masks.tif')).toBe('cells');
  });

  it('says nothing about other names', () => {
    expect(layerFromFileName('AS_09125_050116030001_D03f00d0.tif')).toBeUndefined();
    expect(layerFromFileName('cells_matched.csv')).toBeUndefined();
    expect(layerFromFileName('img_cp_masks.tif')).toBeUndefined();
    expect(layerFromFileName('nucleiDAPI.tif')).toBeUndefined();
  });
});

describe('isLabelImageFor', () => {
  it("takes an integer single-channel file of the image's size named as cellscope names labels", () => {
    expect(isLabelImageFor('cells.tif', probe(), image)).toBe(true);
    expect(isLabelImageFor('x_nuclei.tif', probe(), image)).toBe(true);
    expect(isLabelImageFor('img_cp_masks.tif', probe(), image)).toBe(true);
  });

  it('takes an unnamed file that is flat like labels, not a noisy field of the same size', () => {
    expect(isLabelImageFor('seg.tif', probe({ flatFraction: 0.97 }), image)).toBe(true);
    expect(isLabelImageFor('field_02.tif', probe({ flatFraction: 0.2 }), image)).toBe(false);
  });

  it('refuses other sizes, several channels, fractions, non-TIFFs, and no open image', () => {
    expect(isLabelImageFor('cells.tif', probe({ width: 256 }), image)).toBe(false);
    expect(isLabelImageFor('cells.tif', probe({ channels: 3 }), image)).toBe(false);
    expect(isLabelImageFor('cells.tif', probe({ integer: false }), image)).toBe(false);
    expect(isLabelImageFor('cells.tif', null, image)).toBe(false);
    expect(isLabelImageFor('cells.tif', probe(), undefined)).toBe(false);
  });
});
