import type { Region } from '../../image/region.js';
import type { Labels, PixelArray, Stack } from '../../image/types.js';
import { regionprops } from '../../measure/regionprops.js';
import { matchedCellsTable } from '../../relate/measure-cells.js';
import { channelColumns, type MeasuredObjects } from '../../relate/measure-objects.js';
import { relationFromCounts, type Relation } from '../../relate/relate.js';
import type { Block } from '../../segment/blocks/plan.js';
import type { ReadableLabelSink } from '../../segment/blocks/stitch.js';
import { createTable, numericColumn, type Table } from '../../table/table.js';
import { nameIntensityColumns, OBJECT_PROPERTIES } from '../object-columns.js';

export interface BlockMeasureOptions {
  /** The whole image's size, px. */
  width: number;
  height: number;
  /** Plane indices measured: nuclei, cytoplasm, then the others (each once). */
  channels: readonly number[];
  /** `[row, col]` pixel size in µm, as regionprops takes it. */
  spacing?: readonly [number, number];
}

/** One block of a block-wise run, once its objects are pasted into the label sinks. */
interface MeasuredBlock {
  /** The block's padded region and its pixels (every channel of the image). */
  padded: Region;
  stack: Stack;
  /** The block's own nuclei and cells over `padded`, as finally written (0 elsewhere). */
  owned: readonly Uint32Array[];
  /** The pixels no later block touches ({@link finalRegion}), and both layers' labels there. */
  final: Region;
  finalLabels: readonly Uint32Array[];
}

/** The tables of a block-wise run, as `measureSegmented` gives them for a whole image. */
export interface BlockMeasurements {
  /** Each measured channel's column suffix, as `measureSegmented` names them. */
  suffixes: string[];
  nuclei: Table;
  cells: Table;
  matched: Table;
  relation: Relation;
}

/**
 * The pixels whose labels are final once `block` is pasted: those no later block's padded region
 * covers. Blocks run row-major, so that is the core shifted up and left by the overlap (from 0 in
 * the first row and column, to the image's edge in the last). These regions tile the image.
 */
export function finalRegion(
  block: Block,
  overlap: number,
  image: { width: number; height: number },
): Region {
  const { core } = block;
  const span = (start: number, size: number, whole: number): [number, number] => [
    start === 0 ? 0 : Math.min(whole, Math.max(0, start - overlap)),
    start + size >= whole ? whole : Math.min(whole, Math.max(0, start + size - overlap)),
  ];
  const [x0, x1] = span(core.x, core.width, image.width);
  const [y0, y1] = span(core.y, core.height, image.height);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Objects of one layer, indexed in order of first sight. */
interface Layer {
  index: Map<number, number>;
  label: number[];
  /** Pixels, known once the owning block is measured. */
  area: number[];
  /** regionprops columns, one chunk per block. */
  chunks: Map<string, Float64Array[]>;
  metadata?: Table['metadata'];
}

/**
 * Measures a block-wise run as it goes: each block's own objects with regionprops over the
 * block's pixels (whole, since an object smaller than the overlap lies inside its padded block),
 * and the nucleus ↔ cell overlaps and cell intensity sums over the pixels that block finalises.
 * Only per-object numbers are kept. `finish` gives the tables `measureSegmented` gives on the
 * whole label images: identical values for integer images (sums are exact), centroids included.
 */
export function blockMeasurer(options: BlockMeasureOptions) {
  const { width, height, spacing } = options;
  const [s0, s1] = spacing ?? [1, 1];
  const k = options.channels.length;
  const layers: [Layer, Layer] = [newLayer(), newLayer()];
  // Per cell (index in layers[1]): Σ intensity per channel over all its pixels.
  const cellSum: number[] = [];
  const pairsOfCell: Map<number, number>[] = [];
  const pairCell: number[] = [];
  const pairNucleus: number[] = [];
  const pairCount: number[] = [];
  const pairSum: number[] = [];
  // The first block's stack: its channel names name the intensity columns.
  let firstStack: Stack | undefined;

  const indexOf = (layer: Layer, label: number): number => {
    let i = layer.index.get(label);
    if (i === undefined) {
      i = layer.label.length;
      layer.index.set(label, i);
      layer.label.push(label);
      layer.area.push(0);
      if (layer === layers[1]) {
        for (let c = 0; c < k; c++) cellSum.push(0);
        pairsOfCell.push(new Map());
      }
    }
    return i;
  };

  const measureOwned = (layer: Layer, block: MeasuredBlock, owned: Uint32Array): void => {
    const { padded, stack } = block;
    const labels: Labels = { width: padded.width, height: padded.height, data: owned };
    const intensity: Stack = {
      ...stack,
      planes: options.channels.map((c) => stack.planes[c]),
      channelNames: options.channels.map((c) => stack.channelNames[c]),
    };
    const table = regionprops(labels, { intensity, properties: OBJECT_PROPERTIES, spacing });
    layer.metadata ??= table.metadata;
    // Centroids from exact global sums (Σ row / n), as a whole-image regionprops computes them.
    const sums = new Map<number, [number, number, number]>();
    for (let r = 0; r < padded.height; r++) {
      for (let c = 0; c < padded.width; c++) {
        const label = owned[r * padded.width + c];
        if (label === 0) continue;
        const s = sums.get(label);
        if (s) {
          s[0]++;
          s[1] += padded.y + r;
          s[2] += padded.x + c;
        } else sums.set(label, [1, padded.y + r, padded.x + c]);
      }
    }
    const label = numericColumn(table, 'label');
    const row = numericColumn(table, 'centroid-0');
    const col = numericColumn(table, 'centroid-1');
    label.forEach((value, i) => {
      const [n, sumRow, sumCol] = sums.get(value) as [number, number, number];
      row[i] = (sumRow / n) * s0;
      col[i] = (sumCol / n) * s1;
      layer.area[indexOf(layer, value)] = n;
    });
    for (const [name, column] of Object.entries(table.columns)) {
      const list = layer.chunks.get(name) ?? [];
      list.push(column as Float64Array);
      layer.chunks.set(name, list);
    }
  };

  const gatherFinal = (block: MeasuredBlock): void => {
    const { padded, final, stack } = block;
    const [nucleusData, cellData] = block.finalLabels;
    const planes: PixelArray[] = options.channels.map((c) => stack.planes[c].data);
    let lastCell = 0;
    let lastNucleus = 0;
    let ci = -1;
    let pi = -1;
    // Labels come in runs: the lookups happen only where the (cell, nucleus) pair changes.
    for (let r = 0; r < final.height; r++) {
      const at = (final.y - padded.y + r) * padded.width + (final.x - padded.x);
      for (let x = 0; x < final.width; x++) {
        const i = r * final.width + x;
        const cell = cellData[i];
        if (cell === 0) continue;
        const nucleus = nucleusData[i];
        if (cell !== lastCell || nucleus !== lastNucleus) {
          lastCell = cell;
          lastNucleus = nucleus;
          ci = indexOf(layers[1], cell);
          pi = -1;
          if (nucleus !== 0) {
            const ni = indexOf(layers[0], nucleus);
            const pairs = pairsOfCell[ci];
            let p = pairs.get(ni);
            if (p === undefined) {
              p = pairCount.length;
              pairs.set(ni, p);
              pairCell.push(ci);
              pairNucleus.push(ni);
              pairCount.push(0);
              for (let c = 0; c < k; c++) pairSum.push(0);
            }
            pi = p;
          }
        }
        const pixel = at + x;
        for (let c = 0; c < k; c++) cellSum[ci * k + c] += planes[c][pixel];
        if (pi >= 0) {
          pairCount[pi]++;
          for (let c = 0; c < k; c++) pairSum[pi * k + c] += planes[c][pixel];
        }
      }
    }
  };

  return {
    /**
     * Measures one block, called in block order once its objects are pasted (segmentBlocks'
     * `onBlock`): `kept` are its nuclei and cells over the padded region, `sinks` the nucleus and
     * cell sinks they went to, `overlap` the run's.
     */
    add(
      block: Block,
      stack: Stack,
      kept: readonly Uint32Array[],
      overlap: number,
      sinks: readonly [ReadableLabelSink, ReadableLabelSink],
    ): void {
      firstStack ??= stack;
      // Pixels an earlier block had taken stay its own: measure what was written.
      const owned = kept.map((labels, layer) => {
        const written = sinks[layer].read(block.padded);
        for (let i = 0; i < written.length; i++) if (written[i] !== labels[i]) written[i] = 0;
        return written;
      });
      const final = finalRegion(block, overlap, { width, height });
      const measured: MeasuredBlock = {
        padded: block.padded,
        stack,
        owned,
        final,
        finalLabels: sinks.map((sink) => sink.read(final)),
      };
      measureOwned(layers[0], measured, owned[0]);
      measureOwned(layers[1], measured, owned[1]);
      gatherFinal(measured);
    },

    /** The nuclei, cells and matched-cells tables and the relation, from what was gathered. */
    finish(): BlockMeasurements {
      const nuclei = tableOf(layers[0]);
      const cells = tableOf(layers[1]);
      const relation = relationFromCounts(width, height, {
        cellLabel: layers[1].label,
        cellArea: layers[1].area,
        nucleusLabel: layers[0].label,
        nucleusArea: layers[0].area,
        pairCell,
        pairNucleus,
        pairCount,
      });
      // The cytoplasm compartment: a cell's pixels less those of its matched nucleus.
      const matchedPair = new Map<number, number>();
      relation.cells.label.forEach((label, row) => {
        const nucleus = relation.cells.nucleus[row];
        if (nucleus === 0) return;
        const ci = layers[1].index.get(label) as number;
        const ni = layers[0].index.get(nucleus) as number;
        matchedPair.set(label, pairsOfCell[ci].get(ni) as number);
      });
      const cytoLabel: number[] = [];
      const cytoArea: number[] = [];
      const cytoMeans: number[][] = Array.from({ length: k }, () => []);
      relation.cells.label.forEach((label) => {
        const ci = layers[1].index.get(label) as number;
        const p = matchedPair.get(label);
        const n = layers[1].area[ci] - (p === undefined ? 0 : pairCount[p]);
        if (n === 0) return;
        cytoLabel.push(label);
        cytoArea.push(n * (s0 * s1));
        for (let c = 0; c < k; c++) {
          const sum = cellSum[ci * k + c] - (p === undefined ? 0 : pairSum[p * k + c]);
          cytoMeans[c].push(sum / n);
        }
      });
      const cyto: MeasuredObjects = {
        rowOf: new Map(cytoLabel.map((label, row) => [label, row])),
        column: (name) => {
          if (name !== 'area') throw new Error(`no cytoplasm column ${name}`);
          return Float64Array.from(cytoArea);
        },
        means: cytoMeans.map((m) => Float64Array.from(m)),
        units: {},
      };
      // Named as measureSegmented names them (channel names where known, else ch1, ch2, …).
      const channels = firstStack
        ? channelColumns(firstStack, { channels: options.channels, channelNames: 'auto' })
        : options.channels.map((index) => ({ index, name: `C${index}`, suffix: `ch${index + 1}` }));
      const suffixes = channels.map((c) => c.suffix);
      const matched = matchedCellsTable({
        relation,
        cell: measuredObjects(cells, k),
        nucleus: measuredObjects(nuclei, k),
        cyto,
        channels,
        spacing,
      });
      return {
        suffixes,
        nuclei: nameIntensityColumns(nuclei, suffixes),
        cells: nameIntensityColumns(cells, suffixes),
        matched,
        relation,
      };
    },
  };
}

function newLayer(): Layer {
  return { index: new Map(), label: [], area: [], chunks: new Map() };
}

function tableOf(layer: Layer): Table {
  const columns: Record<string, Float64Array> = {};
  for (const [name, chunks] of layer.chunks) {
    const out = new Float64Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    columns[name] = out;
  }
  return createTable(columns, layer.metadata ?? {});
}

/** A per-object table seen as `measureObjects` gives it, for {@link matchedCellsTable}. */
function measuredObjects(table: Table, channels: number): MeasuredObjects {
  const rowOf = new Map<number, number>();
  numericColumn(table, 'label').forEach((label, row) => rowOf.set(label, row));
  return {
    rowOf,
    column: (name) => numericColumn(table, name),
    means: Array.from({ length: channels }, (_, c) =>
      numericColumn(table, channels === 1 ? 'intensity_mean' : `intensity_mean-${c}`),
    ),
    units: table.metadata.units ?? {},
  };
}
