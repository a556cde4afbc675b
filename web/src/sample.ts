// The sample image that ships with cellscope (samples/examplehuman, CC0), served with the
// app's assets: Vite copies each file it finds as `new URL(literal, import.meta.url)`.
const SAMPLE_FILES: [name: string, url: URL][] = [
  ['DNA.tif', new URL('../../samples/examplehuman/DNA.tif', import.meta.url)],
  ['PH3.tif', new URL('../../samples/examplehuman/PH3.tif', import.meta.url)],
  ['phalloidin.tif', new URL('../../samples/examplehuman/phalloidin.tif', import.meta.url)],
];

/** What the empty page says about the sample. */
export const SAMPLE_CAPTION =
  "CellProfiler's ExampleHuman field: HT29 cells stained for DNA, PH3 and F-actin (CC0)";

/**
 * The sample's three channel files, named after their channels (built assets carry a content
 * hash in their URL), so the image opens with the channels DNA, PH3 and phalloidin
 * (sorted by name, as the app sorts channel files, they keep that order).
 */
export async function fetchSampleFiles(): Promise<File[]> {
  return Promise.all(
    SAMPLE_FILES.map(async ([name, url]) => {
      const response = await fetch(url);
      if (!response.ok) {
        throw new Error(`could not load the sample image ${name} (HTTP ${response.status})`);
      }
      return new File([await response.blob()], name);
    }),
  );
}
