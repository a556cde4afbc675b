// Which channels the Segment panel starts with: guessed from their names, else asked for.
import { guessChannelRoles } from 'cellscope/browser';

export interface ChannelChoice {
  nuclei: number;
  cytoplasm: number;
  /** One line for the panel: what was guessed, or the question to check. */
  note: string;
  /** Both roles came from the names. */
  guessed: boolean;
}

/**
 * The nuclei and cytoplasm channels for an image's channel names: those the names suggest
 * (`guessChannelRoles`), else the first channels the other role does not take, with a note
 * asking the user to check.
 */
export function chooseChannels(names: readonly string[]): ChannelChoice {
  const guess = guessChannelRoles(names);
  const firstOther = (taken: number | undefined): number =>
    names.length > 1 && taken === 0 ? 1 : 0;
  const nuclei = guess.nuclei ?? firstOther(guess.cytoplasm);
  const cytoplasm = guess.cytoplasm ?? (names.length > 1 ? (nuclei === 0 ? 1 : 0) : 0);
  const guessed = guess.nuclei !== undefined && guess.cytoplasm !== undefined;
  const said = [
    guess.nuclei === undefined ? '' : `nuclei ${names[nuclei]}`,
    guess.cytoplasm === undefined ? '' : `cytoplasm ${names[cytoplasm]}`,
  ].filter(Boolean);
  const note = guessed
    ? `${said.join(', ')}: guessed from the channel names.`
    : said.length
      ? `${said.join(', ')} from the channel names; which channel shows the ${guess.nuclei === undefined ? 'nuclei' : 'cytoplasm'}?`
      : 'Which channels show the nuclei and the cytoplasm? Their names do not say.';
  return { nuclei, cytoplasm, note, guessed };
}
