import { describe, expect, it } from 'vitest';
import { imageName, shortChannelNames } from '../names.js';

describe('shortChannelNames', () => {
  it('drops the shared prefix of one-file-per-channel names, keeping the letter before digits', () => {
    const names = [
      'AS_09125_050116030001_D03f00d0',
      'AS_09125_050116030001_D03f00d1',
      'AS_09125_050116030001_D03f00d2',
    ];
    expect(shortChannelNames(names)).toEqual(['d0', 'd1', 'd2']);
  });

  it('strips separators after the prefix', () => {
    expect(shortChannelNames(['plate1_well_DAPI', 'plate1_well_GFP'])).toEqual(['DAPI', 'GFP']);
  });

  it('keeps short or unrelated names', () => {
    expect(shortChannelNames(['DAPI', 'GFP', 'RFP'])).toEqual(['DAPI', 'GFP', 'RFP']);
    expect(shortChannelNames(['C0', 'C1'])).toEqual(['C0', 'C1']);
    expect(shortChannelNames(['only'])).toEqual(['only']);
    expect(shortChannelNames(['image', 'image_mask'])).toEqual(['image', 'image_mask']);
  });
});

describe('imageName', () => {
  it('is the stem the files share, without the channel suffix or separators', () => {
    const files = ['d0', 'd1', 'd2'].map((s) => `AS_09125_050116030001_D03f00${s}.tif`);
    expect(imageName(files)).toBe('AS_09125_050116030001_D03f00');
    expect(imageName(['plate1_DAPI.ome.tif', 'plate1_GFP.ome.tif'])).toBe('plate1');
    expect(imageName(['cells.npy'])).toBe('cells');
    expect(imageName(['abcX1.png', 'abcX2.png'])).toBe('abc');
    expect(imageName(['a.tif', 'b.tif'])).toBe('image');
  });
});
