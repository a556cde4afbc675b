import { CellscopeError, ImageFormatError, InvalidArgumentError } from '../../errors.js';
import { allocatePixels } from '../../image/dtype.js';
import { checkChannels, checkRegion, type Region, type RegionSource } from '../../image/region.js';
import { createStack } from '../../image/stack.js';
import type { PixelArray } from '../../image/types.js';
import { parseTiff, subIfds, type Ifd } from './ifd.js';
import { parseImageJDescription, parseImageJLabels, parseOmeXml } from './metadata.js';
import {
  chunkSamples,
  chunksPerPlane,
  decodeChunk,
  describePage,
  seriesPages,
  type PageLayout,
} from './page.js';
import { pixelSizeOf } from './read.js';
import { toSource, type ByteSource } from './source.js';
import { Tag } from './tags.js';

/** Where one channel's pixels are: a page, and a sample within it. */
interface ChannelPlace {
  ifd: Ifd;
  layout: PageLayout;
  sample: number;
}

/**
 * A TIFF read region by region: only the strips or tiles a region crosses are read and decoded,
 * so a 16k² slide costs what its blocks show. Channels are the pages of the first Z/T position
 * (ImageJ hyperstacks, OME-TIFF by DimensionOrder, plain multi-page files) times each page's
 * samples, in the order `decodeTiffArray` + `tiffArrayToStack` give them. Reduced-resolution pages are
 * skipped: regions come from full resolution.
 */
export function tiffRegionSource(input: Uint8Array | ByteSource): RegionSource {
  return malformedAsFormatError(() => {
    const image = openChannels(toSource(input));
    return levelSource(image, image.places, 0);
  });
}

/**
 * Every resolution level of a TIFF as a RegionSource, full resolution first: level k of each
 * channel is its page's (k − 1)th SubIFD, as OME-TIFF stores a pyramid (and QuPath and
 * tifffile read it). A file without SubIFDs has one level. Pixel size is given for level 0 only.
 */
export function tiffPyramid(input: Uint8Array | ByteSource): RegionSource[] {
  return malformedAsFormatError(() => {
    const image = openChannels(toSource(input));
    const levels = [levelSource(image, image.places, 0)];
    const children = image.places.map((place) => subIfds(place.ifd));
    const count = Math.min(...children.map((list) => list.length));
    for (let k = 0; k < count; k++) {
      const places = image.places.map((place, c) => {
        const ifd = children[c][k];
        return { ifd, layout: describePage(ifd), sample: place.sample };
      });
      levels.push(levelSource(image, places, k + 1));
    }
    return levels;
  });
}

function malformedAsFormatError<T>(open: () => T): T {
  try {
    return open();
  } catch (error) {
    if (error instanceof CellscopeError) throw error;
    throw new ImageFormatError(`TIFF is malformed (${(error as Error).message})`, { cause: error });
  }
}

interface TiffChannels {
  places: ChannelPlace[];
  channelNames: string[];
  pixelSizeUm: RegionSource['pixelSizeUm'];
}

function openChannels(source: ByteSource): TiffChannels {
  const { ifds } = parseTiff(source);
  const pages = seriesPages(ifds);
  const [{ ifd: first, layout }] = pages;
  const description = first.text(Tag.ImageDescription);
  const imagej = parseImageJDescription(description);
  const ome = imagej ? undefined : parseOmeXml(description);
  // Page indices of channel 0, 1, … at the first Z/T position.
  let channelPages = pages.map((_, i) => i);
  let names: (string | undefined)[] | undefined;
  if (imagej) {
    channelPages = channelPages.slice(0, Math.max(1, imagej.channels));
    const labels = parseImageJLabels(
      first.raw(Tag.ImageJMetadata),
      first.numbers(Tag.ImageJMetadataByteCounts),
    );
    names = labels?.slice(0, channelPages.length);
  } else if (ome) {
    const sizeC = Math.max(1, Math.round(ome.sizeC / Math.max(1, layout.samplesPerPixel)));
    const order = ome.dimensionOrder.slice(2);
    const sizes: Record<string, number> = { C: sizeC, Z: ome.sizeZ, T: ome.sizeT };
    // Pages step through the axes fastest first, so channel c sits c × (faster axes) pages on.
    let stride = 1;
    for (const axis of order.slice(0, order.indexOf('C'))) stride *= sizes[axis];
    channelPages = Array.from({ length: sizeC }, (_, c) => c * stride);
    names = ome.channelNames;
  } else if (layout.samplesPerPixel > 1) {
    channelPages = [0];
  }
  if (channelPages.some((p) => p >= pages.length)) {
    throw new ImageFormatError(
      `the metadata declares ${channelPages.length} channels but the file holds ${pages.length} pages (truncated?)`,
    );
  }
  const places: ChannelPlace[] = [];
  for (const p of channelPages) {
    for (let s = 0; s < layout.samplesPerPixel; s++) places.push({ ...pages[p], sample: s });
  }
  const channelNames = places.map((place, k) =>
    layout.samplesPerPixel > 1
      ? `${layout.photometric === 2 ? (['R', 'G', 'B', 'A'][place.sample] ?? `S${place.sample}`) : `S${place.sample}`}`
      : names?.[k]?.trim() || `C${k}`,
  );
  return { places, channelNames, pixelSizeUm: pixelSizeOf(first, imagej, ome) };
}

function levelSource(image: TiffChannels, places: ChannelPlace[], level: number): RegionSource {
  const { width, height, dtype } = places[0].layout;
  if (places.some((p) => p.layout.width !== width || p.layout.height !== height)) {
    throw new ImageFormatError(`pyramid level ${level} differs in size between channels`);
  }
  const { channelNames } = image;
  const pixelSizeUm = level === 0 ? image.pixelSizeUm : undefined;
  return {
    width,
    height,
    dtype,
    channelNames,
    pixelSizeUm,
    async read(region, channels) {
      checkRegion(region, width, height);
      const picked = checkChannels(channels, places.length);
      const planes = picked.map((c) => ({
        width: region.width,
        height: region.height,
        data: readPlaceRegion(places[c], region),
      }));
      return createStack(planes, {
        channelNames: picked.map((c) => channelNames[c]),
        pixelSizeUm,
      });
    },
  };
}

/** One channel's pixels in `region`, decoding only the chunks it crosses. */
function readPlaceRegion({ ifd, layout, sample }: ChannelPlace, region: Region): PixelArray {
  if (layout.bitsPerSample === 1 && layout.samplesPerPixel > 1) {
    throw new InvalidArgumentError('region reads of multi-sample bilevel TIFFs are not supported');
  }
  const out = allocatePixels(layout.dtype, region.width * region.height);
  const bytes = new Uint8Array(out.buffer);
  const bps = layout.bytesPerSample;
  const samples = chunkSamples(layout);
  const within = layout.planar ? 0 : sample;
  const { across, down } = chunksPerPlane(layout);
  const planeOffset = layout.planar ? sample * across * down : 0;
  const { chunkWidth, chunkHeight } = layout;
  const rowStride = chunkWidth * samples * bps;
  for (
    let cy = Math.floor(region.y / chunkHeight);
    cy * chunkHeight < region.y + region.height;
    cy++
  ) {
    for (
      let cx = Math.floor(region.x / chunkWidth);
      cx * chunkWidth < region.x + region.width;
      cx++
    ) {
      const { chunk, rows } = decodeChunk(ifd, layout, planeOffset + cy * across + cx);
      const x0 = Math.max(region.x, cx * chunkWidth);
      const x1 = Math.min(region.x + region.width, (cx + 1) * chunkWidth, layout.width);
      const y0 = Math.max(region.y, cy * chunkHeight);
      const y1 = Math.min(region.y + region.height, cy * chunkHeight + rows);
      for (let y = y0; y < y1; y++) {
        const from = (y - cy * chunkHeight) * rowStride;
        const to = ((y - region.y) * region.width + (x0 - region.x)) * bps;
        if (samples === 1) {
          const start = from + (x0 - cx * chunkWidth) * bps;
          bytes.set(chunk.subarray(start, start + (x1 - x0) * bps), to);
          continue;
        }
        for (let x = x0; x < x1; x++) {
          const at = from + ((x - cx * chunkWidth) * samples + within) * bps;
          const dest = to + (x - x0) * bps;
          for (let b = 0; b < bps; b++) bytes[dest + b] = chunk[at + b];
        }
      }
    }
  }
  return out;
}
