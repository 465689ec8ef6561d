import type { ConversionWriteHook } from './conversion.service.ts';

/** Several features' steps in one conversion write (postbacks, ad-platform jobs), run in order. */
export function joinWriteHooks(hooks: ReadonlyArray<ConversionWriteHook | null>): ConversionWriteHook | null {
  const present = hooks.filter((hook): hook is ConversionWriteHook => hook !== null);
  if (present.length <= 1) return present[0] ?? null;
  return {
    async written(trx, before, after) {
      for (const hook of present) await hook.written(trx, before, after);
    },
    committed() {
      for (const hook of present) hook.committed();
    },
  };
}
