import { describe, expect, it } from 'vitest';
import { abbreviate, formatValue, readoutChannelNames } from '../readout.js';

describe('abbreviate', () => {
  it('keeps short names and cuts the middle out of long ones, to the limit', () => {
    expect(abbreviate('DAPI', 8)).toBe('DAPI');
    expect(abbreviate('Hoechst 33342 (DNA)', 12)).toBe('Hoechs…(DNA)');
    expect([...abbreviate('Hoechst 33342 (DNA)', 12)]).toHaveLength(12);
    expect(abbreviate('a very long single channel name', 14)).toBe('a very…l name'); // no spaces by …
    expect(abbreviate('abcdef', 4)).toBe('ab…f');
  });
});

describe('readoutChannelNames', () => {
  it('gives three long channel names 12 characters each, still telling them apart', () => {
    const names = readoutChannelNames([
      'Hoechst 33342 nuclear stain (405 nm)',
      'Phalloidin-AF488 actin cytoskeleton',
      'MitoTracker Deep Red mitochondria',
    ]);
    expect(names).toEqual(['Hoechs…5 nm)', 'Phallo…leton', 'MitoTr…ndria']);
    expect(new Set(names).size).toBe(3);
  });

  it('drops the shared prefix of one-file-per-channel names first', () => {
    const files = ['d0', 'd1', 'd2'].map((s) => `AS_09125_050116030001_D03f00${s}`);
    expect(readoutChannelNames(files)).toEqual(['d0', 'd1', 'd2']);
  });

  it('gives one channel up to 14 characters and many channels at least 4', () => {
    expect(readoutChannelNames(['a very long single channel name'])).toEqual(['a very…l name']);
    const twelve = Array.from({ length: 12 }, (_, c) => `marker${c}`);
    expect(readoutChannelNames(twelve).every((n) => [...n].length <= 4)).toBe(true);
  });
});

describe('formatValue', () => {
  it('shows integers whole and other values to 4 significant digits', () => {
    expect(formatValue(4095)).toBe('4095');
    expect(formatValue(0.123456)).toBe('0.1235');
  });
});
