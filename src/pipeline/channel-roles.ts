/** What a channel shows, as far as the analysis cares. */
export type ChannelRole = 'nuclei' | 'cytoplasm';

// Stains and words that name each role, matched case-insensitively anywhere in a channel name,
// so `w1DAPI`, `C1-Hoechst 33342`, `SiR-DNA`, `H2B-GFP` and `Phalloidin-488` all count.
const ROLE_WORDS: Record<ChannelRole, readonly string[]> = {
  nuclei: ['dna', 'dapi', 'hoechst', 'nuclei', 'nucleus', 'nuclear', 'h2b', 'draq5', 'nucblue'],
  cytoplasm: [
    'actin',
    'phalloidin',
    'tubulin',
    'cellmask',
    'membrane',
    'wga',
    'cyto',
    'cellbody',
    'cell body',
    'celltracker',
    'calcein',
    'lifeact',
  ],
};

/** The role one channel name suggests; `undefined` when it names none, or both. */
export function channelRoleOf(name: string): ChannelRole | undefined {
  const lower = name.toLowerCase();
  const roles = (Object.keys(ROLE_WORDS) as ChannelRole[]).filter((role) =>
    ROLE_WORDS[role].some((word) => lower.includes(word)),
  );
  return roles.length === 1 ? roles[0] : undefined;
}

/** The channels a guess picked, by 0-based index; absent where no name said. */
export interface GuessedChannelRoles {
  nuclei?: number;
  cytoplasm?: number;
  /** Each channel's own role, in channel order. */
  roles: (ChannelRole | undefined)[];
}

/**
 * Guesses which channel shows nuclei and which the cytoplasm from channel names (OME or ImageJ
 * channel names, or the file names of one-file-per-channel images): DNA/DAPI/Hoechst/H2B →
 * nuclei; actin/phalloidin/tubulin/CellMask/membrane/WGA/cyto → cytoplasm. The first channel of
 * each role wins. A role no name suggests stays unset, so the caller asks the user.
 */
export function guessChannelRoles(names: readonly string[]): GuessedChannelRoles {
  const roles = names.map(channelRoleOf);
  const first = (role: ChannelRole): number | undefined => {
    const index = roles.indexOf(role);
    return index < 0 ? undefined : index;
  };
  const nuclei = first('nuclei');
  const cytoplasm = first('cytoplasm');
  return {
    ...(nuclei === undefined ? {} : { nuclei }),
    ...(cytoplasm === undefined ? {} : { cytoplasm }),
    roles,
  };
}
