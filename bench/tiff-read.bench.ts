import { inflateSync } from 'node:zlib';
import { unzlibSync } from 'fflate';
import { decode } from 'tiff';
import { bench, describe } from 'vitest';
import { parseTiff } from '../src/io/tiff/ifd.js';
import { describePage, type PageLayout } from '../src/io/tiff/page.js';
import { decodeTiffArray } from '../src/io/tiff/read.js';
import {
  benchmarkFiles,
  fluorescenceStack,
  HEIGHT,
  WIDTH,
  type BenchFile,
} from './tiff-fixtures.js';

// Reads one 3-channel uint16 1011 × 1557 image per iteration, so the mean is ms per image.
// Each format is its own group: vitest prints how many times faster cellscope is than `tiff`.

const stack = fluorescenceStack();
const files = benchmarkFiles(stack);
const rawBytes = 3 * HEIGHT * WIDTH * 2;

/** Both readers must return the stack's pixels: timing a wrong answer says nothing. */
function checkCellscope(file: BenchFile): void {
  const { data } = decodeTiffArray(file.bytes);
  const n = HEIGHT * WIDTH;
  for (let c = 0; c < 3; c++) {
    const plane = stack.planes[c].data;
    for (let i = 0; i < n; i++) {
      if (data[c * n + i] !== plane[i]) throw new Error(`cellscope misreads ${file.name}`);
    }
  }
}

/** Undefined when `tiff` reads the file correctly, else why not. */
function tiffProblem(file: BenchFile): string | undefined {
  try {
    const pages = decode(file.bytes);
    if (pages.length !== 3) return `${pages.length} pages`;
    for (let c = 0; c < 3; c++) {
      const plane = stack.planes[c].data;
      const { data } = pages[c];
      if (data.length !== plane.length) return `page ${c} has ${data.length} samples`;
      for (let i = 0; i < plane.length; i++) {
        if (data[i] !== plane[i]) return `page ${c} differs at sample ${i}`;
      }
    }
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

for (const file of files) {
  checkCellscope(file);
  const problem = tiffProblem(file);
  const size = `${(file.bytes.length / 2 ** 20).toFixed(1)} MiB, ${(rawBytes / file.bytes.length).toFixed(2)}:1`;
  describe(`${file.name} (${size})`, () => {
    bench('cellscope decodeTiffArray', () => {
      decodeTiffArray(file.bytes);
    });
    if (problem === undefined) {
      bench('tiff decode', () => {
        decode(file.bytes);
      });
    } else {
      // Not a failure of ours: report it next to the figures.
      console.warn(`tiff cannot read ${file.name}: ${problem}`);
    }
  });
}

// Deflate alone: the codec inside decodeTiffArray (fflate, browser-safe) against Node's zlib (C).
const deflated = files.find((f) => f.compression === 'deflate' && !f.predictor) as BenchFile;
const strips = stripsOf(deflated.bytes);

function stripsOf(bytes: Uint8Array): { data: Uint8Array; length: number }[] {
  const { ifds } = parseTiff(bytes);
  return ifds.flatMap((ifd) => {
    const layout: PageLayout = describePage(ifd);
    const rowBytes = layout.width * layout.samplesPerPixel * layout.bytesPerSample;
    return layout.offsets.map((offset, i) => ({
      data: bytes.subarray(offset, offset + layout.byteCounts[i]),
      length: Math.min(layout.chunkHeight, layout.height - i * layout.chunkHeight) * rowBytes,
    }));
  });
}

describe(`deflate codec only: the ${strips.length} strips of one image`, () => {
  bench('fflate unzlibSync into a preallocated buffer (decodeTiffArray in a browser)', () => {
    for (const strip of strips) unzlibSync(strip.data, { out: new Uint8Array(strip.length) });
  });
  bench('node:zlib inflateSync (decodeTiffArray in Node)', () => {
    for (const strip of strips) inflateSync(strip.data);
  });
});
