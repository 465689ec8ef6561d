import type { EventBus } from '../../events.ts';
import type { DetectionProfile } from './detection-settings.service.ts';

export interface DetectionProfileCache {
  get(userId: number): Promise<DetectionProfile>;
}

/** The tracker reads an account's profile on every click: kept in memory until the account changes it. */
export function createDetectionProfileCache(
  load: (userId: number) => Promise<DetectionProfile>,
  events: EventBus,
): DetectionProfileCache {
  const profiles = new Map<number, Promise<DetectionProfile>>();
  events.on('detection-settings.changed', ({ userId }) => profiles.delete(userId));
  events.on('caches.stale', () => profiles.clear());
  return {
    get(userId) {
      let profile = profiles.get(userId);
      if (!profile) {
        profile = load(userId);
        profile.catch(() => profiles.delete(userId));
        profiles.set(userId, profile);
      }
      return profile;
    },
  };
}
