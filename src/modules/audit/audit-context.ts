import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '../accounts/member.ts';

/**
 * The actor of the request being served. The http layer enters it once per request (api-guard), so the
 * services' write paths can name who acted without every service signature carrying it; outside a request
 * (command line, jobs) there is none and the log says so (member null).
 */
const current = new AsyncLocalStorage<Actor>();

export function runAsActor<T>(actor: Actor, work: () => T): T {
  return current.run(actor, work);
}

export function currentActor(): Actor | undefined {
  return current.getStore();
}
