import { describe, expect, it } from 'vitest';
import { channelRoleOf, guessChannelRoles } from '../channel-roles.js';

describe('channelRoleOf', () => {
  // [channel name, role]: OME/ImageJ names and file stems as microscopes and people write them.
  const cases: [string, 'nuclei' | 'cytoplasm' | undefined][] = [
    ['DNA', 'nuclei'],
    ['DAPI', 'nuclei'],
    ['w1DAPI', 'nuclei'],
    ['C1-Hoechst 33342', 'nuclei'],
    ['SiR-DNA', 'nuclei'],
    ['H2B-mCherry', 'nuclei'],
    ['Nuclei', 'nuclei'],
    ['DRAQ5', 'nuclei'],
    ['actin', 'cytoplasm'],
    ['F-Actin', 'cytoplasm'],
    ['Phalloidin-488', 'cytoplasm'],
    ['alpha-Tubulin', 'cytoplasm'],
    ['CellMask Deep Red', 'cytoplasm'],
    ['membrane', 'cytoplasm'],
    ['WGA-AF647', 'cytoplasm'],
    ['cytoplasm', 'cytoplasm'],
    ['cellbody', 'cytoplasm'],
    ['PH3', undefined],
    ['GFP', undefined],
    ['C0', undefined],
    ['R', undefined],
    ['AS_09125_050116030001_D03f00d0', undefined],
    // A name that says both is no guess.
    ['nuclear membrane', undefined],
  ];
  it.each(cases)('%s → %s', (name, role) => {
    expect(channelRoleOf(name)).toBe(role);
  });
  it('covers every case', () => expect(cases).toHaveLength(23));
});

describe('guessChannelRoles', () => {
  it("picks ExampleHuman's DNA for nuclei and actin for the cytoplasm", () => {
    expect(guessChannelRoles(['DNA', 'PH3', 'actin'])).toEqual({
      nuclei: 0,
      cytoplasm: 2,
      roles: ['nuclei', undefined, 'cytoplasm'],
    });
  });

  it('takes the first channel of a role and any order', () => {
    const guess = guessChannelRoles(['WGA-AF647', 'DAPI', 'H2B-GFP', 'tubulin']);
    expect([guess.nuclei, guess.cytoplasm]).toEqual([1, 0]);
  });

  it('leaves a role unset when no name suggests it, so the user is asked', () => {
    expect(guessChannelRoles(['C0', 'C1', 'C2'])).toEqual({
      roles: [undefined, undefined, undefined],
    });
    expect(guessChannelRoles(['DAPI', 'GFP'])).toEqual({
      nuclei: 0,
      roles: ['nuclei', undefined],
    });
    expect(guessChannelRoles([])).toEqual({ roles: [] });
  });
});
