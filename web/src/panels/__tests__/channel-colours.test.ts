import { describe, expect, it } from 'vitest';
import { defaultChannelColours, isRgbImage } from '../channel-colours.js';

describe('defaultChannelColours', () => {
  it('shows an RGB PNG or JPEG (channels R, G, B, samples last) in red, green and blue', () => {
    const png = { axes: 'YXS', channelNames: ['R', 'G', 'B'] };
    expect(isRgbImage(png)).toBe(true);
    expect(defaultChannelColours(png)).toEqual([
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
    ]);
  });

  it('adds nothing for the alpha of an RGBA image, and reads an RGB TIFF by its sample axis', () => {
    expect(defaultChannelColours({ axes: 'YXS', channelNames: ['C0', 'C1', 'C2', 'C3'] })).toEqual([
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [0, 0, 0],
    ]);
  });

  it('keeps the fluorescence colours (nuclei blue first) for channels, and grey for one', () => {
    const fluorescence = { axes: 'CYX', channelNames: ['DNA', 'actin', 'signal'] };
    expect(isRgbImage(fluorescence)).toBe(false);
    expect(defaultChannelColours(fluorescence)).toEqual([
      [0, 102, 255],
      [0, 255, 0],
      [255, 0, 255],
    ]);
    expect(defaultChannelColours({ axes: 'YX', channelNames: ['C0'] })).toEqual([[255, 255, 255]]);
  });
});
