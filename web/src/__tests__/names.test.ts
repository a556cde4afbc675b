import { describe, expect, it } from 'vitest';
import { shortChannelNames } from '../channel-names.js';

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
