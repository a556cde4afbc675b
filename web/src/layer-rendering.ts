// What the viewer draws from the engine: the channel composite and the label overlay (contours,
// fills, highlights). A big image draws its own channels tile by tile and has no overlay.
import type { BigImageView } from './big-image/big-image-view.js';
import type { EngineClient } from './engine/client.js';
import type { Layer, OverlaySettings } from './engine/protocol.js';
import type { ChannelsPanel } from './panels/channels-panel.js';
import type { OverlayPanel } from './panels/overlay-panel.js';
import type { RunControlPanel } from './panels/run-control.js';
import type { Viewer } from './viewer/viewer.js';

export interface RenderHost {
  readonly engine: EngineClient;
  readonly viewer: Viewer;
  readonly bigImage: BigImageView;
  readonly channels: ChannelsPanel;
  readonly overlay: OverlayPanel;
  readonly runControl: RunControlPanel;
  /** The viewer's area: its dataset records what the overlay shows, for tests. */
  readonly viewArea: HTMLElement;
  hasImage(): boolean;
  /** The labels to highlight and the layer they belong to. */
  highlighted(): { layer: Layer; labels: Set<number> };
  showError(error: unknown): void;
}

export class LayerRenderer {
  constructor(private readonly host: RenderHost) {}

  async renderComposite(): Promise<void> {
    const { bigImage, channels } = this.host;
    if (bigImage.active) return bigImage.setChannels(channels.current);
    try {
      const bitmap = await this.host.engine.requestLatest('composite', {
        channels: channels.current,
      });
      if (bitmap) this.host.viewer.setComposite(bitmap);
    } catch (error) {
      this.host.showError(error);
    }
  }

  async renderOverlay(): Promise<void> {
    const { viewer, viewArea } = this.host;
    if (!this.host.hasImage() || this.host.bigImage.active) return;
    const { layer, labels } = this.host.highlighted();
    const settings: OverlaySettings = {
      ...this.host.overlay.current,
      scale: viewer.transform.scale,
      highlight: { layer, labels: [...labels] },
      previous: this.host.runControl.showingPrevious,
    };
    viewArea.dataset.highlighted = [...labels].sort((a, b) => a - b).join(',');
    viewArea.dataset.contourWidths = this.contourWidths();
    try {
      const bitmap = await this.host.engine.requestLatest('overlay', settings);
      if (bitmap !== undefined) viewer.setOverlay(bitmap);
    } catch (error) {
      this.host.showError(error);
    }
  }

  /** Contour widths are in screen pixels: redraw when their width in image pixels changes. */
  zoomed(): void {
    if (this.contourWidths() !== this.host.viewArea.dataset.contourWidths)
      void this.renderOverlay();
  }

  /** Contour widths in image pixels at the current zoom ("nuclei,cells"). */
  private contourWidths(): string {
    const { scale } = this.host.viewer.transform;
    return (['nuclei', 'cells'] as const)
      .map((l) => Math.max(1, Math.round(this.host.overlay.current[l].contourWidth / scale)))
      .join(',');
  }
}
