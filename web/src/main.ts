import { App } from './app.js';
import './styles.css';

// Long main-thread tasks, recorded for the end-to-end test's responsiveness check.
const longTasks: { start: number; duration: number }[] = [];
if (PerformanceObserver.supportedEntryTypes?.includes('longtask')) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
}

const app = new App(document.getElementById('app')!);
Object.assign(window, { cellscope: { app, longTasks } });
void app.start();
