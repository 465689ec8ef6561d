import type { Db } from '../../storage/database.ts';
import type { EventBus } from '../../events.ts';
import { AppError } from '../../errors.ts';
import { parseIpRange } from '../../detection/cidr.ts';
import {
  DEFAULT_DETECTION_SETTINGS,
  resolveDetectionSettings,
  type AccountIpLists,
  type DetectionSettings,
} from '../../detection/index.ts';
import { findDetectionSettings, saveDetectionSettings } from './detection-settings.repository.ts';
import { mergeOverrides, presentThresholds } from './thresholds.ts';
import { writeAudit } from '../audit/audit.writer.ts';
import { resolveFraudAlertSettings, type FraudAlertSettings } from './fraud-alert-settings.ts';

/** What the tracker needs of an account to judge its clicks. */
export interface DetectionProfile {
  readonly settings: DetectionSettings;
  readonly ipLists: AccountIpLists;
}

export interface DetectionSettingsInput {
  thresholds?: Record<string, number | null | undefined>;
  ip_allowlist?: string[];
  ip_blocklist?: string[];
  fraud_alert?: Partial<FraudAlertSettings>;
}

const parseJson = <T>(text: string | undefined, fallback: T): T =>
  text === undefined ? fallback : (JSON.parse(text) as T);

function checkAddresses(field: string, entries: readonly string[] | undefined, details: Record<string, string[]>) {
  const bad = (entries ?? []).filter((entry) => parseIpRange(entry) === null);
  if (bad.length > 0) details[field] = bad.map((entry) => `"${entry}" is not an IP address or CIDR range`);
}

export interface DetectionSettingsServiceDeps {
  db: Db;
  events: EventBus;
  now?: () => number;
}

export function createDetectionSettingsService(deps: DetectionSettingsServiceDeps) {
  const { db, events } = deps;
  const now = deps.now ?? Date.now;
  const load = async (userId: number) => {
    const row = await findDetectionSettings(db, userId);
    return {
      overrides: parseJson<Record<string, number>>(row?.thresholds, {}),
      allow: parseJson<string[]>(row?.ip_allowlist, []),
      block: parseJson<string[]>(row?.ip_blocklist, []),
      fraudAlert: parseJson<Partial<FraudAlertSettings>>(row?.fraud_alert, {}),
      updatedAt: row?.updated_at ?? null,
    };
  };

  const present = (stored: Awaited<ReturnType<typeof load>>) => ({
    thresholds: presentThresholds(resolveDetectionSettings(stored.overrides)),
    defaults: presentThresholds(DEFAULT_DETECTION_SETTINGS),
    ip_allowlist: stored.allow,
    ip_blocklist: stored.block,
    fraud_alert: resolveFraudAlertSettings(stored.fraudAlert),
    updated_at: stored.updatedAt === null ? null : new Date(stored.updatedAt).toISOString(),
  });

  return {
    async getProfile(userId: number): Promise<DetectionProfile> {
      const stored = await load(userId);
      return {
        settings: resolveDetectionSettings(stored.overrides),
        ipLists: { allow: stored.allow, block: stored.block },
      };
    },

    /** When a campaign's fraud rate raises a fraud.alert webhook. */
    async getFraudAlertSettings(userId: number): Promise<FraudAlertSettings> {
      return resolveFraudAlertSettings((await load(userId)).fraudAlert);
    },

    async get(userId: number) {
      return present(await load(userId));
    },

    async update(userId: number, input: DetectionSettingsInput) {
      const details: Record<string, string[]> = {};
      checkAddresses('ip_allowlist', input.ip_allowlist, details);
      checkAddresses('ip_blocklist', input.ip_blocklist, details);
      const first = Object.values(details)[0]?.[0];
      if (first) throw new AppError('VALIDATION_ERROR', first, details);
      const stored = await load(userId);
      const next = {
        overrides: mergeOverrides(stored.overrides, input.thresholds ?? {}),
        allow: input.ip_allowlist ? [...new Set(input.ip_allowlist)] : stored.allow,
        block: input.ip_blocklist ? [...new Set(input.ip_blocklist)] : stored.block,
        fraudAlert: { ...stored.fraudAlert, ...input.fraud_alert },
        updatedAt: now(),
      };
      const shown = (settings: typeof stored) => ({
        thresholds: settings.overrides,
        ip_allowlist: settings.allow,
        ip_blocklist: settings.block,
        fraud_alert: settings.fraudAlert,
      });
      await db.transaction().execute(async (trx) => {
        await saveDetectionSettings(trx, {
          user_id: userId,
          thresholds: JSON.stringify(next.overrides),
          ip_allowlist: JSON.stringify(next.allow),
          ip_blocklist: JSON.stringify(next.block),
          fraud_alert: JSON.stringify(next.fraudAlert),
          updated_at: next.updatedAt,
        });
        const entry = { userId, action: 'update', resourceType: 'detection_settings', resourceId: null } as const;
        await writeAudit(trx, { ...entry, before: shown(stored), after: shown(next) });
      });
      events.emit('detection-settings.changed', { userId });
      return present(next);
    },
  };
}

export type DetectionSettingsService = ReturnType<typeof createDetectionSettingsService>;
