// Names derived from file and channel names: one-file-per-channel images share a long stem.
import { fileStem, sharedPrefix } from 'cellscope/browser';

// The tables' column names use the same short names (cellscope's channel-names.ts).
export { sharedPrefix, shortChannelNames } from 'cellscope/browser';

/** One name for an image opened from several files: their shared stem (`…D03f00`). */
export function imageName(files: readonly string[]): string {
  const stems = files.map(fileStem);
  if (stems.length === 1) return stems[0];
  return sharedPrefix(stems).replace(/[_\-. ]+$/, '') || 'image';
}
