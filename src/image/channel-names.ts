// Names derived from channel names: one-file-per-channel images share a long file stem.

/**
 * The prefix all names share, backed off by one letter when every name goes on with a digit:
 * `…D03f00d0`, `…D03f00d1` share `…D03f00`, the `d` belonging to the channel suffix.
 */
export function sharedPrefix(names: readonly string[]): string {
  let prefix = names[0] ?? '';
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const digitsFollow = names.every((n) => /^\d/.test(n.slice(prefix.length)));
  if (digitsFollow && /[A-Za-z]$/.test(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/**
 * Short names for channels whose full names share a long prefix, as one-file-per-channel
 * images do (`…D03f00d0`, `…D03f00d1` → `d0`, `d1`); other names are kept.
 */
export function shortChannelNames(names: readonly string[]): string[] {
  if (names.length < 2) return [...names];
  const prefix = sharedPrefix(names);
  if (prefix.length < 4 || names.some((n) => n.length === prefix.length)) return [...names];
  return names.map((n) => n.slice(prefix.length).replace(/^[_\-. ]+/, ''));
}
