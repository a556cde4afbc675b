// Worker entry when cellscope runs from its TypeScript sources (tests, `node --import tsx`):
// worker threads do not inherit tsx's loader, so register it here, then load the real worker.
import { register } from 'tsx/esm/api';

register();
const { default: analyzeInWorker } = await import('./analyze-worker.ts');
export default analyzeInWorker;
