// Opening images, from every place they come: the Open menu, a dropped folder, the sample and
// the files `cellscope view` serves. One big TIFF or an OME-Zarr folder opens lazily as a big
// image; everything else is decoded whole in the engine. The app then resets its state.
import { droppedFolder, folderFromFiles, type FolderInput } from './big-image/open-folder.js';
import type { BigImageView } from './big-image/big-image-view.js';
import type { BigImageInput } from './big-image/protocol.js';
import type { EngineClient } from './engine/client.js';
import type { ImageInfo } from './engine/protocol.js';
import { fetchSampleFiles } from './sample.js';
import { fetchServedFiles } from './served-files.js';
import type { SessionKeeper } from './session/keeper.js';
import { readFiles } from './ui/dom.js';
import type { Viewer } from './viewer/viewer.js';

export interface OpenHost {
  readonly engine: EngineClient;
  readonly keeper: SessionKeeper;
  readonly viewer: Viewer;
  readonly bigImage: BigImageView;
  /** The viewer's area: a big image's overview is read at the level that fits it. */
  readonly viewArea: HTMLElement;
  /** Where "opening …" shows while an image opens. */
  readonly readout: HTMLElement;
  /** Shows a newly opened image; `files` is undefined for a big image, which stays where it is. */
  opened(info: ImageInfo, files: File[] | undefined): Promise<void>;
  showError(error: unknown): void;
  hideError(): void;
}

export class ImageOpener {
  constructor(private readonly host: OpenHost) {}

  /**
   * Opens image files; false when that failed (the error is shown). One big TIFF, or a
   * folder's files (an OME-Zarr), opens lazily; everything else is decoded whole.
   */
  async openImage(files: File[]): Promise<boolean> {
    const folder = folderFromFiles(files);
    const big =
      folder ?? (files.length === 1 ? { kind: 'file' as const, file: files[0] } : undefined);
    return this.openBig(folder?.name ?? files.map((f) => f.name).join(', '), big, files);
  }

  /** A folder picked with the Open folder button (an OME-Zarr). */
  openFolder(folder: FolderInput): Promise<boolean> {
    return this.openBig(folder.name, folder);
  }

  /** Takes a drop that holds a folder and opens it; false when the drop holds none. */
  openDroppedFolder(event: DragEvent): boolean {
    const folder = droppedFolder(event);
    void folder?.then((input) => this.openBig(input.name, input));
    return folder !== undefined;
  }

  /** The sample that ships with the app, opened as any image (channel roles from its names). */
  async openSample(): Promise<void> {
    this.host.hideError();
    try {
      await this.openImage(await fetchSampleFiles());
    } catch (error) {
      this.host.showError(error);
    }
  }

  /** The images `cellscope view` was given, if the page is served by it. */
  async openServed(): Promise<void> {
    try {
      const files = await fetchServedFiles();
      if (files.length) await this.openImage(files);
    } catch (error) {
      this.host.showError(error);
    }
  }

  private async openBig(label: string, big?: BigImageInput, files?: File[]): Promise<boolean> {
    const { bigImage, viewer, viewArea } = this.host;
    this.host.hideError();
    this.setBusy(`opening ${label}`);
    try {
      const bigInfo = big
        ? await bigImage.open(big, { width: viewArea.clientWidth, height: viewArea.clientHeight })
        : undefined;
      if (!big) bigImage.close();
      if (!bigInfo && !files) throw new Error(`${label} is not an image the app can open`);
      viewer.imageLayer = bigInfo ? bigImage : undefined;
      const info = bigInfo ?? (await this.openWhole(files!));
      // The autosave and project files keep small images only: a slide stays where it is.
      await this.host.opened(info, bigInfo ? undefined : [...files!]);
      this.setBusy('');
      this.host.keeper.changed();
      return true;
    } catch (error) {
      this.setBusy('');
      this.host.showError(error);
      return false;
    }
  }

  /** Decodes the whole image in the engine (today's path for images that fit in memory). */
  private async openWhole(files: File[]): Promise<ImageInfo> {
    const payload = await readFiles(files);
    return this.host.engine.request(
      'open',
      { files: payload },
      { transfer: payload.map((p) => p.bytes) },
    );
  }

  private setBusy(text: string): void {
    this.host.readout.textContent = text;
    document.body.classList.toggle('busy', text !== '');
  }
}
