// The images `cellscope view` was given, when the page is served by it. The server's cookie
// (set when the page was opened from the URL with `?token=`) authorises the calls.

/** The served files; none from a static host; an error the page should show when refused. */
export async function fetchServedFiles(): Promise<File[]> {
  let listing: { files?: { name: string; url: string }[] };
  try {
    const response = await fetch('api/files');
    if (response.status === 403) {
      // The view server without its token: say how to open the page instead of showing nothing.
      const body = (await response.json().catch(() => ({}))) as { error?: string; hint?: string };
      const message = `cellscope view refused the page: ${body.error ?? 'forbidden'}`;
      throw Object.assign(new Error(message), { hint: body.hint, refused: true });
    }
    if (!response.ok) return [];
    listing = await response.json();
  } catch (error) {
    if ((error as { refused?: boolean }).refused) throw error;
    return []; // a static host without the view server
  }
  return Promise.all(
    (listing.files ?? []).map(
      async (f) => new File([await (await fetch(f.url.replace(/^\//, ''))).arrayBuffer()], f.name),
    ),
  );
}
