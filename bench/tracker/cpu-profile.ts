// A V8 CPU profile (node --cpu-prof) as profile-top.ts and profile-stalls.ts read it.
import { readFileSync } from 'node:fs';

export interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

export interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The pseudo-frames of a thread with nothing to run: busy time is every other sample. */
export const IDLE_FRAMES: ReadonlySet<string> = new Set(['(idle)', '(program)']);

export function readProfile(file: string): { profile: Profile; byId: Map<number, ProfileNode> } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  return { profile, byId: new Map(profile.nodes.map((node) => [node.id, node])) };
}
