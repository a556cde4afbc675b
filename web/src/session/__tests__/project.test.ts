import { strFromU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeProject, encodeProject } from '../project.js';
import type { AppSettings } from '../record.js';

const settings = {
  channels: [{ visible: true, colour: [0, 0, 255], min: 1, max: 90 }],
  segment: { channels: { nuclei: 0, cytoplasm: 0 } },
  measuredConfig: { channels: { nuclei: 0, cytoplasm: 0 }, nuclei: { method: 'classical' } },
  layer: 'nuclei',
  selection: [4],
  tool: 'brush',
  brushRadius: 3,
} as unknown as AppSettings;

describe('project files', () => {
  it('round-trips the image files, settings, config and label TIFFs', async () => {
    const image = new File([new Uint8Array([1, 2, 3])], 'field.tif');
    const bytes = await encodeProject({
      name: 'field',
      files: [image],
      settings,
      config: settings.measuredConfig!,
      outputs: { 'nuclei.tif': new Uint8Array([9, 9]), 'nuclei.csv': new Uint8Array([65]) },
    });
    const entries = unzipSync(bytes);
    expect(Object.keys(entries).sort()).toEqual([
      'config.json',
      'image/field.tif',
      'nuclei.csv',
      'nuclei.tif',
      'project.json',
    ]);
    expect(JSON.parse(strFromU8(entries['config.json']))).toEqual(settings.measuredConfig);
    const project = decodeProject(bytes, 'field.cellscope.zip');
    expect(project.name).toBe('field');
    expect(project.settings).toEqual(settings);
    expect(project.config).toEqual(settings.measuredConfig);
    expect([...new Uint8Array(await project.files[0].arrayBuffer())]).toEqual([1, 2, 3]);
    expect(project.files[0].name).toBe('field.tif');
    expect([...project.labels.nuclei!]).toEqual([9, 9]);
    expect(project.labels.cells).toBeUndefined();
  });

  it('says what is wrong with a file that is not a project', () => {
    expect(() => decodeProject(new Uint8Array([1, 2, 3]), 'x.zip')).toThrow(
      'x.zip is not a zip file',
    );
    const other = zipSync({ 'a.txt': new Uint8Array([1]) });
    expect(() => decodeProject(other, 'y.zip')).toThrow(
      /y.zip is not a cellscope project \(no project.json\)/,
    );
    const missing = zipSync({
      'project.json': new TextEncoder().encode(
        JSON.stringify({
          format: 'cellscope-project',
          version: 1,
          image: { name: 'f', files: ['f.tif'] },
          settings,
        }),
      ),
    });
    expect(() => decodeProject(missing, 'z.zip')).toThrow('z.zip lacks its image file image/f.tif');
  });
});
