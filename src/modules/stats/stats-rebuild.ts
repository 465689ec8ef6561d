import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import { addStats } from './stats.repository.ts';
import { StatsDelta, clickCounters } from './stats-delta.ts';

const CHUNK = 5_000;

/**
 * Counts stored clicks and their counted conversions into empty rollups, in chunks (keyset on the
 * click id) so memory stays flat on a large database. Used once, by the migration that adds them.
 */
export async function rebuildStats(db: Db, dialect: DialectAdapter): Promise<void> {
  let after = '';
  for (;;) {
    const clicks = await db
      .selectFrom('clicks')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(CHUNK)
      .execute();
    if (clicks.length === 0) return;
    const conversions = await db
      .selectFrom('conversions')
      .select(['click_id', 'payout'])
      .where(
        'click_id',
        'in',
        clicks.map((click) => click.id),
      )
      .where('status', '!=', 'rejected')
      .execute();
    const byClick = new Map(clicks.map((click) => [click.id, click]));
    const delta = new StatsDelta();
    for (const click of clicks) delta.add(click, clickCounters(click));
    for (const conversion of conversions) {
      const click = byClick.get(conversion.click_id);
      if (click) delta.add(click, { conversions: 1, revenue: conversion.payout });
    }
    await addStats(db, dialect, delta);
    after = clicks[clicks.length - 1]!.id;
  }
}
