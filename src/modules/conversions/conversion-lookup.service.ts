import type { Db } from '../../storage/database.ts';
import { findConversionById } from './conversion.repository.ts';

/**
 * The read of conversions the ad-platform connectors need when they send one. Split from the
 * conversion service, which in turn needs the connectors (their jobs commit with the conversion),
 * so it can be built first (ARCHITECTURE.md, "Beside the layers": the lower part is split out).
 */
export function createConversionLookupService(deps: { db: Db }) {
  return { byId: (id: number) => findConversionById(deps.db, id) };
}
