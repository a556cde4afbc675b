import type { ErrorInfo } from './protocol.js';
import { state } from './state.js';

/** What a one-job worker posts: updates of any other kind, then an error or a result. */
interface JobMessage {
  kind: string;
  error?: ErrorInfo;
}

/**
 * Runs one job in `worker` (fresh, made at the call site so the bundler finds its script) and
 * resolves with its `result` message. The engine's cancel, an error or the result terminates it;
 * a new job cancels the one before. Other messages go to `onUpdate`.
 */
export function runWorkerJob<Message extends JobMessage>(
  worker: Worker,
  start: (worker: Worker) => void,
  onUpdate: (message: Message) => void,
): Promise<Extract<Message, { kind: 'result' }>> {
  state.cancelSegment?.();
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      worker.terminate();
      state.cancelSegment = undefined;
    };
    state.cancelSegment = () => {
      finish();
      reject(Object.assign(new Error('segmentation cancelled'), { name: 'AbortError' }));
    };
    worker.onmessage = (event: MessageEvent<Message>) => {
      const message = event.data;
      if (message.kind !== 'error' && message.kind !== 'result') return onUpdate(message);
      finish();
      if (message.kind === 'error' && message.error) {
        reject(Object.assign(new Error(message.error.message), message.error));
      } else resolve(message as Extract<Message, { kind: 'result' }>);
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(`the segmentation worker failed: ${event.message}`));
    };
    start(worker);
  });
}
