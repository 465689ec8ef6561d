// A worker thread's entry: loads the module named in workerData.entry. A worker does not inherit the
// TypeScript loader of the main thread, so a `.ts` entry (running from src/, not dist/) registers tsx first.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
