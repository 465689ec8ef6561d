/**
 * lru-cache measures time to live on a clock of its own; the windows run on the click's time
 * (injected, simulated in the demo), so each hit moves this clock to the click's time first.
 */
export interface ManualClock {
  now(): number;
  set(time: number): void;
}

export function createManualClock(): ManualClock {
  let time = 0;
  return {
    now: () => time,
    set: (next) => {
      // Never backwards: a late click must not make newer entries look younger.
      if (next > time) time = next;
    },
  };
}
