// The page's side of the engine worker: typed requests as promises, progress callbacks, and
// "latest only" requests for things redrawn continuously (composite, overlay, readout).
import type {
  ErrorInfo,
  RequestMessage,
  RequestName,
  Requests,
  ResponseMessage,
} from './protocol.js';

/** An engine error, with the file and hint the page shows. */
export class EngineError extends Error {
  readonly file?: string;
  readonly hint?: string;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = info.name;
    this.file = info.file;
    this.hint = info.hint;
  }
}

type Progress = (step: string, done: number, total: number) => void;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  progress?: Progress;
}

export class EngineClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly latest = new Map<string, { args: unknown; waiters: Pending[] }>();
  private readonly busy = new Set<string>();

  constructor() {
    this.worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<ResponseMessage>) => this.receive(event.data);
  }

  request<K extends RequestName>(
    type: K,
    args: Requests[K]['args'],
    options: { progress?: Progress; transfer?: Transferable[] } = {},
  ): Promise<Requests[K]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: resolve as (value: unknown) => void,
        reject,
        progress: options.progress,
      });
      this.worker.postMessage({ id, type, args } as RequestMessage, options.transfer ?? []);
    });
  }

  /**
   * Like `request`, but while one of this type runs only the newest waiting call is sent
   * (dragging a contrast slider renders the last position, not every step); the calls it
   * replaced resolve to undefined.
   */
  requestLatest<K extends RequestName>(
    type: K,
    args: Requests[K]['args'],
  ): Promise<Requests[K]['result'] | undefined> {
    return new Promise((resolve, reject) => {
      const waiter = { resolve: resolve as (value: unknown) => void, reject };
      const queued = this.latest.get(type);
      if (queued) {
        queued.args = args;
        queued.waiters.push(waiter);
      } else {
        this.latest.set(type, { args, waiters: [waiter] });
      }
      this.pump(type);
    });
  }

  cancelSegmentation(): void {
    this.worker.postMessage({ type: 'cancel' });
  }

  private pump(type: string): void {
    if (this.busy.has(type)) return;
    const queued = this.latest.get(type);
    if (!queued) return;
    this.latest.delete(type);
    this.busy.add(type);
    this.request(type as RequestName, queued.args as never)
      .then(
        (result) =>
          queued.waiters.forEach((w, i) =>
            w.resolve(i === queued.waiters.length - 1 ? result : undefined),
          ),
        (error: Error) => queued.waiters.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        this.busy.delete(type);
        this.pump(type);
      });
  }

  private receive(message: ResponseMessage): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.kind === 'progress') {
      pending.progress?.(message.step, message.done, message.total);
      return;
    }
    this.pending.delete(message.id);
    if (message.kind === 'result') pending.resolve(message.result);
    else pending.reject(new EngineError(message.error));
  }
}
