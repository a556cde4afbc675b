import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  countedCases,
  HAS_SHARED,
  readSharedJson,
  readSharedNpy,
  sharedPath,
} from '../../../test/shared.js';
import { createStack } from '../../image/stack.js';
import { writeTiffFile } from '../../io/tiff/write-file.js';
import { readImage } from '../../io/read-image.js';
import { readLabels } from '../../io/read-labels.js';
import { readTableFile } from '../../io/table/file.js';
import { numericColumn } from '../../table/table.js';
import { ExitCode } from '../exit-codes.js';
import { cellscope } from './run-cli.js';
import { PACKAGED_MODEL_NAMES, PACKAGED_MODELS } from '../../cellpose/models/packaged.js';
import { matchLabels } from '../../evaluate/matching.js';
import { syntheticCells } from '../../synth/cells.js';

interface Manifest {
  cases: { file: string; error?: boolean }[];
  shared_data: {
    file: string;
    shape: number[];
    axes: string;
    dtype: string;
    min: number;
    max: number;
  }[];
}

describe.skipIf(!HAS_SHARED)('cellscope info on ../shared', () => {
  const manifest = HAS_SHARED ? readSharedJson<Manifest>('fixtures/tiff/manifest.json') : undefined;

  it('describes every file in data/ like the reference reader', () => {
    const expected = manifest!.shared_data;
    const { status, stdout, stderr } = cellscope(
      'info',
      '--json',
      ...expected.map((d) => sharedPath('data', d.file)),
    );
    expect(stderr).toBe('');
    expect(status).toBe(ExitCode.Ok);
    const infos = JSON.parse(stdout) as {
      shape: number[];
      axes: string;
      dtype: string;
      channels: { min: number; max: number }[];
    }[];
    expect(infos).toHaveLength(expected.length);
    infos.forEach((info, i) => {
      expect([info.shape, info.axes, info.dtype]).toEqual([
        expected[i].shape,
        expected[i].axes,
        expected[i].dtype,
      ]);
      expect(Math.min(...info.channels.map((c) => c.min))).toBe(expected[i].min);
      expect(Math.max(...info.channels.map((c) => c.max))).toBe(expected[i].max);
    });
  });

  it('prints a readable table', () => {
    const { status, stdout } = cellscope('info', sharedPath('fixtures/tiff/ome_cyx.tif'));
    expect(status).toBe(ExitCode.Ok);
    expect(stdout).toMatch(/axes +CYX/);
    expect(stdout).toMatch(/pixel size +0\.325 × 0\.325 µm/);
    expect(stdout).toMatch(/^mCherry +\d+ +\d+ +[\d.]+$/m);
  });

  const refused = countedCases(manifest?.cases.filter((c) => c.error) ?? [], 4, 'refused TIFF');
  it.each(refused.map((c) => [c.file]))('exits non-zero with one line on %s', (file) => {
    const path = sharedPath('fixtures/tiff', file);
    const { status, stdout, stderr } = cellscope('info', path);
    expect(status).toBe(ExitCode.ImageFormat);
    expect(stdout.trim()).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(path);
  });

  it('still describes the good files when one in the batch is bad', () => {
    const { status, stdout, stderr } = cellscope(
      'info',
      sharedPath('fixtures/tiff/u8_plain.tif'),
      sharedPath('fixtures/tiff/bad_truncated.tif'),
      sharedPath('fixtures/tiff/u16_lzw.tif'),
    );
    expect(status).toBe(ExitCode.ImageFormat);
    expect(stdout.match(/^file /gm)).toHaveLength(2);
    expect(stderr).toContain('bad_truncated.tif');
  });
});

describe.skipIf(!HAS_SHARED)('cellscope evaluate', () => {
  const truth = sharedPath('data/dsb2018-nuclei-256/labels.tif');

  it('scores a label image against itself as perfect, as JSON', () => {
    const { status, stdout } = cellscope('evaluate', truth, truth, '--iou', '0.5,0.9', '--json');
    expect(status).toBe(ExitCode.Ok);
    const scores = JSON.parse(stdout) as { iouThreshold: number; tp: number; f1: number }[];
    expect(scores.map((s) => [s.iouThreshold, s.tp, s.f1])).toEqual([
      [0.5, 65, 1],
      [0.9, 65, 1],
    ]);
  });

  it('refuses label images of different sizes and bad thresholds', () => {
    const other = sharedPath('data/examplehuman/AS_09125_050116030001_D03f00d0.tif');
    const mismatch = cellscope('evaluate', truth, other);
    expect(mismatch.status).toBe(ExitCode.InvalidArgument);
    expect(mismatch.stderr).toMatch(/256×256 but .*512×512/);
    expect(cellscope('evaluate', truth, truth, '--iou', '1.5').status).toBe(
      ExitCode.InvalidArgument,
    );
  });
});

describe.skipIf(!HAS_SHARED)('cellscope segment', () => {
  const out = mkdtempSync(join(tmpdir(), 'cellscope-segment-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes nucleus labels and prints their count', async () => {
    const labelsPath = join(out, 'dsb.tif');
    const { status, stdout, stderr } = cellscope(
      'segment',
      sharedPath('data/dsb2018-nuclei-256/image.tif'),
      '--method',
      'threshold',
      '--channel',
      '0',
      '--diameter',
      '9',
      '--out',
      labelsPath,
    );
    expect(stderr).toBe('');
    expect(status).toBe(ExitCode.Ok);
    const count = Number(/^(\d+) nuclei/m.exec(stdout)?.[1]);
    const labels = await readLabels(labelsPath);
    expect(labels.data.reduce((m, v) => Math.max(m, v), 0)).toBe(count);
    expect(count).toBeGreaterThan(40);
  });

  it('grows cells from nuclei over channels given as separate files, with an overlay', async () => {
    const file = (k: number): string =>
      sharedPath(`data/examplehuman/AS_09125_050116030001_D03f00d${k}.tif`);
    const cellsPath = join(out, 'cells.tif');
    const { status, stdout } = cellscope(
      'segment',
      file(0),
      file(2),
      '--channel',
      '0',
      '--cells-from-nuclei',
      '--cell-channel',
      '1',
      '--out',
      cellsPath,
      '--overlay',
      join(out, 'overlay.png'),
    );
    expect(status).toBe(ExitCode.Ok);
    expect(stdout).toMatch(/^\d+ cells grown from the nuclei/m);
    const cells = await readLabels(cellsPath);
    const nuclei = await readLabels(join(out, 'cells_nuclei.tif'));
    expect(nuclei.data.every((n, i) => n === 0 || cells.data[i] === n)).toBe(true);
    const overlay = await readImage(join(out, 'overlay.png'));
    expect(overlay.channelNames).toEqual(['R', 'G', 'B', 'A']);
  });

  it('refuses to overwrite its input and explains wrong flags', () => {
    const input = sharedPath('data/dsb2018-nuclei-256/image.tif');
    const overwrite = cellscope('segment', input, '--out', input);
    expect(overwrite.status).toBe(ExitCode.InvalidArgument);
    expect(overwrite.stderr).toMatch(/refusing to overwrite an input file/);
    expect(
      cellscope('segment', input, '--method', 'magic', '--out', join(out, 'x.tif')).status,
    ).toBe(ExitCode.InvalidArgument);
    const noCellChannel = cellscope(
      'segment',
      input,
      '--cells-from-nuclei',
      '--out',
      join(out, 'y.tif'),
    );
    expect(noCellChannel.stderr).toMatch(/--cell-channel/);
    expect(
      cellscope('segment', input, '--channel', 'DAPI', '--out', join(out, 'z.tif')).stderr,
    ).toMatch(/no channel named "DAPI"/);
  });
});

describe.skipIf(!HAS_SHARED)('cellscope measure', () => {
  const out = mkdtempSync(join(tmpdir(), 'cellscope-measure-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes one row per object with areas and intensities that add up', async () => {
    const labelsPath = sharedPath('data/dsb2018-nuclei-256/labels.tif');
    const imagePath = sharedPath('data/dsb2018-nuclei-256/image.tif');
    const csv = join(out, 'nuclei.csv');
    const { status, stdout, stderr } = cellscope(
      'measure',
      labelsPath,
      '--image',
      imagePath,
      '--out',
      csv,
    );
    expect(stderr).toBe('');
    expect(status).toBe(ExitCode.Ok);
    expect(stdout).toMatch(/^65 objects/);
    const table = await readTableFile(csv);
    const labels = await readLabels(labelsPath);
    const image = (await readImage(imagePath)).planes[0].data;
    const area = numericColumn(table, 'area');
    expect(area.reduce((a, b) => a + b, 0)).toBe(labels.data.reduce((n, v) => n + (v ? 1 : 0), 0));
    // Label 1's mean intensity, computed directly.
    let sum = 0;
    let count = 0;
    labels.data.forEach((v, i) => {
      if (v === 1) {
        sum += image[i];
        count++;
      }
    });
    expect(numericColumn(table, 'intensity_mean')[0]).toBeCloseTo(sum / count, 10);
  });

  it('refuses an unknown table format and an unknown property', () => {
    const labelsPath = sharedPath('data/dsb2018-nuclei-256/labels.tif');
    expect(cellscope('measure', labelsPath, '--out', join(out, 't.xlsx')).stderr).toMatch(
      /\.csv, \.parquet, \.json/,
    );
    const unknown = cellscope(
      'measure',
      labelsPath,
      '--properties',
      'area,roundness',
      '--out',
      join(out, 't.csv'),
    );
    expect(unknown.status).toBe(ExitCode.InvalidArgument);
    expect(unknown.stderr).toMatch(/roundness/);
  });
});

describe('cellscope command line', () => {
  it('rejects unknown commands and missing files with distinct exit codes', () => {
    expect(cellscope('frobnicate').status).toBe(ExitCode.InvalidArgument);
    const missing = cellscope('info', join(tmpdir(), 'no-such-image.tif'));
    expect(missing.status).toBe(ExitCode.FileAccess);
    expect(missing.stderr).toMatch(/no-such-image\.tif: file not found/);
  });
});

describe("cellscope's own models from the command line", () => {
  it('models list shows them as in the package, with their diam_mean', () => {
    const { status, stdout } = cellscope('models', 'list');
    expect(status).toBe(ExitCode.Ok);
    for (const name of PACKAGED_MODEL_NAMES) {
      expect(stdout).toMatch(
        new RegExp(`^ +${name} +diam_mean ${PACKAGED_MODELS[name].diamMean} +in the package`, 'm'),
      );
    }
  });

  it('segment --method cellpose runs cellscope-cells offline when no model is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cellscope-default-model-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const { stack, cellLabels } = syntheticCells({ width: 256, height: 256, cells: 12, seed: 5 });
    const image = join(dir, 'cells.tif');
    await writeTiffFile(image, stack);
    const out = join(dir, 'masks.tif');
    const run = cellscope(
      'segment',
      image,
      '--method',
      'cellpose',
      '--channels',
      '2,1',
      '--out',
      out,
    );
    expect(run.status, run.stderr).toBe(ExitCode.Ok);
    expect(run.stdout).toMatch(/masks with cellscope-cells/);
    const [scores] = matchLabels(await readLabels(out), cellLabels, { iouThresholds: [0.5] });
    expect(scores.f1).toBeGreaterThanOrEqual(0.9);
  });

  it('segment --nucleus-aware hybrid grows the cells from cellscope-nuclei nuclei', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cellscope-nucleus-aware-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const { stack, cellLabels } = syntheticCells({ width: 256, height: 256, cells: 12, seed: 5 });
    const image = join(dir, 'cells.tif');
    await writeTiffFile(image, stack);
    const out = join(dir, 'masks.tif');
    const args = ['segment', image, '--method', 'cellpose', '--out', out];
    const run = cellscope(...args, '--channels', '2,1', '--nucleus-aware', 'hybrid');
    expect(run.status, run.stderr).toBe(ExitCode.Ok);
    expect(run.stdout).toMatch(/cells with cellscope-nuclei nuclei \(hybrid\)/);
    const cells = await readLabels(out);
    const nuclei = await readLabels(join(dir, 'masks_nuclei.tif'));
    // Cell k grew from nucleus k.
    expect(nuclei.data.every((n, i) => n === 0 || cells.data[i] === n)).toBe(true);
    const [scores] = matchLabels(cells, cellLabels, { iouThresholds: [0.5] });
    expect(scores.f1).toBeGreaterThanOrEqual(0.9);

    const noNuclei = cellscope(...args, '--channels', '2,0', '--nucleus-aware', 'hybrid');
    expect(noNuclei.status).toBe(ExitCode.InvalidArgument);
    expect(noNuclei.stderr).toMatch(/need the nuclei/);
    const unknown = cellscope(...args, '--channels', '2,1', '--nucleus-aware', 'merge');
    expect(unknown.status).toBe(ExitCode.InvalidArgument);
    expect(unknown.stderr).toMatch(/off, merge-fragments, hybrid/);
  });
});

describe.skipIf(!HAS_SHARED)('cellscope analyze on examplehuman', () => {
  it("runs the default workflow (cellscope's own models) on the three channel files as one image", async () => {
    const out = mkdtempSync(join(tmpdir(), 'cellscope-analyze-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    const folder = sharedPath('data/examplehuman');
    const run = cellscope('analyze', folder, '--channel-suffixes', 'd0,d2,d1', '--out', out);
    expect(run.status, run.stderr).toBe(ExitCode.Ok);
    expect(run.stdout).toMatch(/1 analysed \(\d+ cells\), 0 skipped, 0 failed/);
    const name = 'AS_09125_050116030001_D03f00';
    const summary = JSON.parse(readFileSync(join(out, name, 'summary.json'), 'utf8')) as {
      cells: number;
      cellsWithNucleus: number;
      answers: Record<string, Record<string, number>>;
    };
    expect(summary.cells).toBeGreaterThan(250);
    // The cells model cuts off small nucleus-free lobes (47 of 357 masks, see models/README.md);
    // the default nucleusAware 'merge-fragments' gives them back to their cells: 310 of 310.
    expect(summary.cellsWithNucleus / summary.cells).toBeGreaterThan(0.95);
    const matched = await readTableFile(join(out, 'cells_matched.csv'));
    expect(matched.rowCount).toBe(summary.cells);
    // PH3 (d1, the third channel) marks the few mitotic cells: far brighter than the median cell.
    // Columns are named by the channel files' stems less their shared prefix.
    const ph3 = Array.from(numericColumn(matched, 'cell_intensity_mean_d1')).sort((a, b) => a - b);
    expect(ph3[ph3.length - 1]).toBeGreaterThan(3 * ph3[ph3.length >> 1]);
    for (const file of [
      'report.html',
      'overlay.png',
      'plots/D.png',
      'nuclei.tif',
      'cells.parquet',
    ]) {
      expect(existsSync(join(out, name, file)), file).toBe(true);
    }
  });
});

describe.skipIf(!HAS_SHARED)('cellscope models convert', () => {
  it('writes an ONNX model of a Cellpose .pth and refuses files that are not weights', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cellscope-convert-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, 'small.onnx');
    const pth = sharedPath('fixtures/cellpose/net/cpnet_small_cyto.pth');
    const ok = cellscope('models', 'convert', pth, '--out', out);
    expect(ok.status, ok.stderr).toBe(ExitCode.Ok);
    const { net } = readSharedJson<{
      net: { cyto: { nbase: number[]; pth: { n_params_total: number } } };
    }>('fixtures/cellpose/manifest.json');
    expect(ok.stdout).toContain(
      `nbase [${net.cyto.nbase.join(', ')}], 3 outputs, ` +
        `${net.cyto.pth.n_params_total.toLocaleString('en')} parameters`,
    );
    // An ONNX ModelProto starts with field 1 (ir_version) as a varint.
    expect(readFileSync(out)[0]).toBe(0x08);
    const npy = sharedPath('fixtures/cellpose/size/size_params.npy');
    const bad = cellscope('models', 'convert', npy, '--out', join(dir, 'bad.onnx'));
    expect(bad.status).toBe(ExitCode.ModelFormat);
    expect(bad.stderr).toMatch(/size_params\.npy: not a PyTorch weight file/);
    expect(existsSync(join(dir, 'bad.onnx'))).toBe(false);
  });
});

describe.skipIf(!HAS_SHARED)('cellscope segment --method cellpose', () => {
  it('segments the e2e fixture image like CellposeModel.eval and writes masks and flows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cellscope-cellpose-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const array = readSharedNpy('fixtures/cellpose/e2e/image_cyx.npy');
    const [channels, height, width] = array.shape;
    const data = array.data as Uint16Array;
    const image = join(dir, 'image.tif');
    await writeTiffFile(
      image,
      createStack(
        Array.from({ length: channels }, (_, c) => ({
          width,
          height,
          data: data.slice(c * width * height, (c + 1) * width * height),
        })),
      ),
    );
    const out = join(dir, 'masks.tif');
    const pth = sharedPath('fixtures/cellpose/e2e/cpnet_small_trained.pth');
    const run = cellscope(
      'segment',
      image,
      '--method',
      'cellpose',
      '--model',
      pth,
      '--diameter',
      '30',
      '--channels',
      '2,1',
      '--out',
      out,
      '--save-flows',
    );
    expect(run.status, run.stderr).toBe(ExitCode.Ok);
    const expected = readSharedNpy('fixtures/cellpose/e2e/d30_masks.npy');
    const masks = await readLabels(out);
    const count = Math.max(...(expected.data as Uint16Array));
    expect(Math.max(...masks.data)).toBe(count);
    expect(run.stdout).toContain(`${count} masks with cpnet_small_trained.pth (diameter 30 px)`);
    const flows = await readImage(join(dir, 'masks_flows.tif'));
    expect(flows.channelNames).toEqual(['dY', 'dX', 'cellprob']);

    const badChannels = cellscope(
      'segment',
      image,
      '--method',
      'cellpose',
      '--model',
      pth,
      '--channels',
      '2',
      '--out',
      out,
    );
    expect(badChannels.status).toBe(ExitCode.InvalidArgument);
    expect(badChannels.stderr).toMatch(/--channels must be two channel numbers/);
  });

  it('diameter auto follows two ~200 px nuclei; --no-large-object-check keeps Cellpose’s ~24 px', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cellscope-large-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const image = sharedPath('data', 'neubias', 'xyc_16bit__nup_nuclei.tif');
    const args = ['segment', image, '--method', 'cellpose', '--model', 'cellscope-nuclei'];
    const common = ['--diameter', 'auto', '--channels', '2,0', '--threads', '2'];
    // Cellpose's two stages return pieces far below the 197 px nuclei (nuclei v4: 24.1 px).
    const twoStage = (stdout: string): number =>
      Number(/Cellpose's estimate was (\d+\.\d+) px \(--no-large-object-check/.exec(stdout)?.[1]);
    const checked = cellscope(...args, ...common, '--out', join(dir, 'checked.tif'));
    expect(checked.status, checked.stderr).toBe(ExitCode.Ok);
    expect(checked.stdout).toMatch(/^2 masks with cellscope-nuclei \(diameter 20\d\.\d+ px\)/m);
    expect(twoStage(checked.stdout)).toBeGreaterThan(15);
    expect(twoStage(checked.stdout)).toBeLessThan(30);
    const plain = cellscope(
      ...args,
      ...common,
      '--no-large-object-check',
      '--out',
      join(dir, 'plain.tif'),
    );
    expect(plain.status, plain.stderr).toBe(ExitCode.Ok);
    const plainDiameter = /^\d+ masks with cellscope-nuclei \(diameter (\d+\.\d+) px\)/m.exec(
      plain.stdout,
    )?.[1];
    expect(Number(plainDiameter)).toBeCloseTo(twoStage(checked.stdout), 1);
    expect(plain.stdout).not.toMatch(/Cellpose's estimate was/);
    // Block-wise, the estimate on the central block says the same.
    const blocks = cellscope(
      ...args,
      ...common,
      '--block-size',
      '400',
      '--out',
      join(dir, 'b.tif'),
    );
    expect(blocks.status, blocks.stderr).toBe(ExitCode.Ok);
    expect(blocks.stdout).toMatch(
      /^2 masks with cellscope-nuclei \(diameter 20\d(\.\d+)? px\) in 4 blocks/m,
    );
    expect(twoStage(blocks.stdout)).toBeGreaterThan(15);
    expect(twoStage(blocks.stdout)).toBeLessThan(30);
  });
});
