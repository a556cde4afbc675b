import { describe, expect, it } from 'vitest';
import { chooseChannels } from '../channel-roles.js';

describe('chooseChannels', () => {
  // [names, nuclei, cytoplasm, guessed]
  const cases: [string[], number, number, boolean][] = [
    [['DNA', 'PH3', 'actin'], 0, 2, true],
    [['WGA', 'Hoechst'], 1, 0, true],
    [['C0', 'C1', 'C2'], 0, 1, false],
    [['DAPI', 'GFP'], 0, 1, false],
    [['GFP', 'DAPI'], 1, 0, false],
    [['GFP', 'tubulin'], 0, 1, false],
    [['tubulin', 'GFP'], 1, 0, false],
    [['only'], 0, 0, false],
  ];
  it.each(cases)('%j → nuclei %i, cytoplasm %i', (names, nuclei, cytoplasm, guessed) => {
    expect(chooseChannels(names)).toMatchObject({ nuclei, cytoplasm, guessed });
  });
  it('covers every case', () => expect(cases).toHaveLength(8));

  it('says what it guessed, and asks when the names do not say', () => {
    expect(chooseChannels(['DNA', 'PH3', 'actin']).note).toBe(
      'nuclei DNA, cytoplasm actin: guessed from the channel names.',
    );
    expect(chooseChannels(['DAPI', 'GFP']).note).toBe(
      'nuclei DAPI from the channel names; which channel shows the cytoplasm?',
    );
    expect(chooseChannels(['C0', 'C1']).note).toMatch(/^Which channels show/);
  });
});
