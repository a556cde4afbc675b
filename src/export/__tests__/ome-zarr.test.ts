import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { randomLabels } from '../../measure/contours/__tests__/fill.js';
import { writeOmeZarrLabelsFile } from '../ome-zarr-file.js';
import { pythonHas, runPython } from './python.js';

const hasZarr = pythonHas(['zarr', 'numpy'], 'python3-zarr');
const dir = mkdtempSync(join(tmpdir(), 'cellscope-zarr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Reads every level with zarr-python and reports shape, dtype, metadata and checksums.
const READ_LABELS = `
import json, sys, zarr, numpy as np
root = zarr.open_group(sys.argv[1], mode="r")
name = sys.argv[2]
group = root["labels"][name]
levels = []
for d in group.attrs["multiscales"][0]["datasets"]:
    a = group[d["path"]]
    levels.append({"shape": list(a.shape), "dtype": str(a.dtype), "chunks": list(a.chunks),
                   "sum": int(np.asarray(a[...], dtype=np.uint64).sum()),
                   "firstRow": [int(v) for v in np.asarray(a[...]).reshape(a.shape[-2], a.shape[-1])[0][:8]]})
level0 = np.asarray(group["0"][...]).reshape(-1)
print(json.dumps({"labels": root["labels"].attrs["labels"], "attrs": group.attrs.asdict(),
                  "levels": levels, "hash": [int(v) for v in level0[::97]]}))
`;

interface ZarrReport {
  labels: string[];
  attrs: {
    multiscales: { version: string; axes: { name: string }[]; datasets: unknown[] }[];
    'image-label': { version: string };
  };
  levels: { shape: number[]; dtype: string; chunks: number[]; sum: number; firstRow: number[] }[];
  hash: number[];
}

describe('OME-Zarr labels', () => {
  it.runIf(hasZarr)(
    'writes a new NGFF 0.4 store that zarr-python reads pixel for pixel',
    async () => {
      const labels = randomLabels(1300, 700, 40, 41);
      const path = join(dir, 'new.zarr');
      await writeOmeZarrLabelsFile(path, labels, {
        name: 'nuclei',
        pixelSizeUm: { x: 0.5, y: 0.5 },
      });
      const report = runPython<ZarrReport>(READ_LABELS, [path, 'nuclei']);
      expect(report.labels).toEqual(['nuclei']);
      const [multiscale] = report.attrs.multiscales;
      expect(multiscale.version).toBe('0.4');
      expect(multiscale.axes.map((a) => a.name)).toEqual(['y', 'x']);
      expect(multiscale.datasets).toEqual([
        { path: '0', coordinateTransformations: [{ type: 'scale', scale: [0.5, 0.5] }] },
        { path: '1', coordinateTransformations: [{ type: 'scale', scale: [1, 1] }] },
        { path: '2', coordinateTransformations: [{ type: 'scale', scale: [2, 2] }] },
      ]);
      expect(report.attrs['image-label'].version).toBe('0.4');
      expect(report.levels.map((l) => [l.shape, l.dtype, l.chunks])).toEqual([
        [[700, 1300], 'uint32', [700, 1024]],
        [[350, 650], 'uint32', [350, 650]],
        [[175, 325], 'uint32', [175, 325]],
      ]);
      let sum = 0;
      for (const v of labels.data) sum += v;
      expect(report.levels[0].sum).toBe(sum);
      expect(report.levels[0].firstRow).toEqual([...labels.data.subarray(0, 8)]);
      expect(report.hash).toEqual([...labels.data].filter((_, i) => i % 97 === 0));
      // Nearest neighbour: level 1 pixel (0, x) is level 0 pixel (1, 2x + 1).
      expect(report.levels[1].firstRow).toEqual(
        [0, 1, 2, 3, 4, 5, 6, 7].map((x) => labels.data[1 * 1300 + 2 * x + 1]),
      );
    },
  );

  it.runIf(hasZarr)(
    'adds labels/<name> beside an NGFF 0.4 image with its axes and levels',
    async () => {
      const path = join(dir, 'image.zarr');
      // An image store as ome-zarr-py writes it: (c, y, x), two levels.
      runPython(
        `
import json, sys, zarr, numpy as np
root = zarr.open_group(sys.argv[1], mode="w")
root.create_dataset("0", data=np.zeros((2, 64, 96), dtype=np.uint16), chunks=(1, 32, 32), dimension_separator="/")
root.create_dataset("1", data=np.zeros((2, 32, 48), dtype=np.uint16), chunks=(1, 32, 32), dimension_separator="/")
axes = [{"name": "c", "type": "channel"}, {"name": "y", "type": "space"}, {"name": "x", "type": "space"}]
root.attrs["multiscales"] = [{"version": "0.4", "axes": axes, "datasets": [
    {"path": "0", "coordinateTransformations": [{"type": "scale", "scale": [1, 0.3, 0.3]}]},
    {"path": "1", "coordinateTransformations": [{"type": "scale", "scale": [1, 0.6, 0.6]}]}]}]
print("{}")
`,
        [path],
      );
      const labels = randomLabels(96, 64, 9, 42);
      await writeOmeZarrLabelsFile(path, labels, { name: 'cells' });
      const report = runPython<ZarrReport>(READ_LABELS, [path, 'cells']);
      expect(report.labels).toEqual(['cells']);
      expect(report.attrs.multiscales[0].axes.map((a) => a.name)).toEqual(['c', 'y', 'x']);
      expect(report.levels.map((l) => l.shape)).toEqual([
        [1, 64, 96],
        [1, 32, 48],
      ]);
      expect(report.hash).toEqual([...labels.data].filter((_, i) => i % 97 === 0));
      // A second label image is listed beside the first; the same name again is refused.
      await writeOmeZarrLabelsFile(path, labels, { name: 'nuclei' });
      expect(JSON.parse(readFileSync(join(path, 'labels', '.zattrs'), 'utf8'))).toEqual({
        labels: ['cells', 'nuclei'],
      });
      await expect(writeOmeZarrLabelsFile(path, labels, { name: 'cells' })).rejects.toThrow(
        InvalidArgumentError,
      );
      // Labels of another size than the image are refused before anything is written.
      const small = randomLabels(10, 10, 2, 43);
      await expect(writeOmeZarrLabelsFile(path, small, { name: 'small' })).rejects.toThrow(/10×10/);
    },
  );
});
