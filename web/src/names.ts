/**
 * Names to show for channels whose full names share a long prefix, as one-file-per-channel
 * images do (`…D03f00d0`, `…D03f00d1` → `d0`, `d1`); other names are kept.
 */
export function shortChannelNames(names: readonly string[]): string[] {
  if (names.length < 2) return [...names];
  let prefix = names[0];
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  // Keep a letter before trailing digits: `d0`, not `0`.
  while (
    prefix.length > 0 &&
    /[A-Za-z]/.test(prefix[prefix.length - 1]) &&
    names.every((n) => /^\d/.test(n.slice(prefix.length)))
  ) {
    prefix = prefix.slice(0, -1);
  }
  if (prefix.length < 4 || names.some((n) => n.length === prefix.length)) return [...names];
  return names.map((n) => n.slice(prefix.length).replace(/^[_\-. ]+/, ''));
}
