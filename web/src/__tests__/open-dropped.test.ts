import { describe, expect, it } from 'vitest';
import { openDroppedFiles, type DropActions } from '../open-dropped.js';
import type { LabelDestination } from '../ui/layer-dialog.js';

interface FakeFile {
  name: string;
}

/** Records what a drop did, in order; files named in `labelsOfImage` fit the open image. */
function recorder(options: {
  imageOpen: boolean;
  labelsOfImage?: string[];
  answer?: LabelDestination;
}) {
  const log: string[] = [];
  let open = options.imageOpen;
  const actions: DropActions<FakeFile> = {
    imageOpen: () => open,
    fitsAsLabels: async (f) => (options.labelsOfImage ?? []).includes(f.name),
    ask: async (f) => {
      log.push(`ask ${f.name}`);
      return options.answer;
    },
    openImage: async (files) => {
      open = true;
      log.push(`image ${files.map((f) => f.name).join(',')}`);
    },
    openLabels: async (f, layer) => void log.push(`labels ${f.name} → ${layer}`),
    openTable: async (f) => void log.push(`table ${f.name}`),
    openProject: async (f) => void log.push(`project ${f.name}`),
  };
  return { log, actions };
}

const files = (...names: string[]): FakeFile[] => names.map((name) => ({ name }));

describe('openDroppedFiles', () => {
  it('opens a dropped project alone, whatever came with it', async () => {
    const { log, actions } = recorder({ imageOpen: true, labelsOfImage: ['cells.tif'] });
    await openDroppedFiles(files('cells.tif', 'field.cellscope.zip', 'a.csv'), actions);
    expect(log).toEqual(['project field.cellscope.zip']);
  });

  it('offers a saved cells.tif dropped with its table as a layer, never as the image', async () => {
    const { log, actions } = recorder({
      imageOpen: true,
      labelsOfImage: ['cells.tif'],
      answer: 'cells',
    });
    await openDroppedFiles(files('cells.tif', 'cells_matched.csv'), actions);
    expect(log).toEqual(['ask cells.tif', 'labels cells.tif → cells', 'table cells_matched.csv']);
  });

  it('opens the image first when labels come with it onto an empty page', async () => {
    const { log, actions } = recorder({ imageOpen: false, answer: 'nuclei' });
    await openDroppedFiles(files('img.tif', 'img_nuclei.tif'), actions);
    expect(log).toEqual(['image img.tif', 'ask img_nuclei.tif', 'labels img_nuclei.tif → nuclei']);
  });

  it('opens files that do not fit as labels as the image; cancel opens nothing', async () => {
    const a = recorder({ imageOpen: true, labelsOfImage: [] });
    await openDroppedFiles(files('d0.tif', 'd1.tif'), a.actions);
    expect(a.log).toEqual(['image d0.tif,d1.tif']);
    const b = recorder({ imageOpen: true, labelsOfImage: ['cells.tif'], answer: undefined });
    await openDroppedFiles(files('cells.tif'), b.actions);
    expect(b.log).toEqual(['ask cells.tif']);
    const c = recorder({ imageOpen: false });
    await openDroppedFiles(files('cells.tif'), c.actions);
    expect(c.log).toEqual(['image cells.tif']);
  });

  it('opens a label file as the image when the user says so', async () => {
    const { log, actions } = recorder({
      imageOpen: true,
      labelsOfImage: ['cells.tif'],
      answer: 'image',
    });
    await openDroppedFiles(files('cells.tif'), actions);
    expect(log).toEqual(['ask cells.tif', 'image cells.tif']);
  });
});
