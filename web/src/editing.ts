// Label editing as napari's label layer offers it: brush and eraser (with "preserve other
// labels"), bucket fill, pick a label, polygon/lasso, split along a line, delete, merge, undo
// and redo. The engine applies edits;
// this turns the user's gestures into edits and the answers into the app's state.
import type { AnalysisConfigInput } from 'cellscope/browser';
import type { EngineClient } from './engine/client.js';
import type { DetachedPieces } from './engine/detached.js';
import type { LabelEdit, Layer, Measurements } from './engine/protocol.js';
import type { Tool } from './viewer/viewer.js';

export interface EditHost {
  readonly engine: EngineClient;
  /** The layer edits apply to. */
  layer(): Layer;
  selection(): number[];
  /** The config tables are measured with; undefined before there are labels. */
  measuredConfig(): AnalysisConfigInput | undefined;
  brushRadius(): number;
  /** Whether brush and eraser leave other objects alone. */
  preserveOthers(): boolean;
  /** What becomes of pieces an erase cuts off an object. */
  detached(): DetachedPieces;
  /** New tables after an edit; `selected`: the object the edit drew, now selected. */
  edited(measurements: Measurements, selected?: number): void;
  select(labels: number[]): void;
  setTool(tool: Tool): void;
  showError(error: unknown): void;
  hideError(): void;
}

type Point = { x: number; y: number };

export class LabelEditor {
  constructor(private readonly host: EditHost) {}

  async editSelection(kind: 'delete' | 'merge'): Promise<void> {
    const labels = this.host.selection();
    const layer = this.host.layer();
    if (labels.length === 0)
      return this.host.showError(
        new Error(`select the ${layer} to ${kind} first (click them in the image or the table)`),
      );
    if (kind === 'merge' && labels.length < 2)
      return this.host.showError(
        new Error('select at least two objects to merge (ctrl/shift-click)'),
      );
    await this.edit({ kind, labels });
  }

  /** A brush stroke paints the selected object (a new one when none or several are selected). */
  async stroke(points: Point[], tool: 'brush' | 'erase'): Promise<void> {
    await this.edit({
      kind: 'paint',
      points,
      radius: this.host.brushRadius(),
      value: this.paintLabel(),
      mode: tool === 'brush' ? 'paint' : 'erase',
      preserveOthers: this.host.preserveOthers(),
      detached: this.host.detached(),
    });
  }

  /** A polygon or lasso becomes the selected object's (or a new object's) pixels. */
  async polygon(points: Point[]): Promise<void> {
    await this.edit({
      kind: 'polygon',
      points,
      value: this.paintLabel(),
      preserveOthers: this.host.preserveOthers(),
      detached: this.host.detached(),
    });
  }

  /** A line across objects splits each into its sides. */
  async split(points: Point[]): Promise<void> {
    await this.edit({ kind: 'split', points });
  }

  /** The bucket: the clicked region (object or background) takes the selected label. */
  async fill(point: Point): Promise<void> {
    await this.edit({ kind: 'fill', x: point.x, y: point.y, value: this.paintLabel() });
  }

  /** The picker: the clicked object becomes the brush's label, and the brush comes back. */
  async pick(point: Point): Promise<void> {
    const value = await this.host.engine.request('pixel', point);
    const label = value ? (this.host.layer() === 'nuclei' ? value.nucleus : value.cell) : 0;
    this.host.select(label ? [label] : []);
    this.host.setTool('brush');
  }

  async step(direction: 'undo' | 'redo'): Promise<void> {
    const config = this.host.measuredConfig();
    if (!config) return;
    try {
      const result = await this.host.engine.request(direction, { config });
      if (result) this.host.edited(result.measurements);
    } catch (error) {
      this.host.showError(error);
    }
  }

  private paintLabel(): number {
    const selected = this.host.selection();
    return selected.length === 1 ? selected[0] : 0;
  }

  private async edit(edit: LabelEdit): Promise<void> {
    const config = this.host.measuredConfig();
    if (!config) return this.host.showError(new Error('segment or open labels before editing'));
    this.host.hideError();
    try {
      const result = await this.host.engine.request('edit', {
        layer: this.host.layer(),
        edit,
        config,
      });
      this.host.edited(result.measurements, result.changedLabel);
    } catch (error) {
      this.host.showError(error);
    }
  }
}
