// Runs probe() in its own thread: started with the base URL, token and interval; stops on any
// message from the parent and answers with the result.
import { parentPort, workerData } from 'node:worker_threads';
import { probe } from './probe.ts';

const { base, token, everyMs } = workerData as { base: string; token: string; everyMs: number };
let stopped = false;
parentPort!.once('message', () => (stopped = true));
parentPort!.postMessage({ result: await probe(base, token, everyMs, () => stopped) });
