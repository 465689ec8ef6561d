import { accountIpListsRule } from './account-ip-lists.ts';
import { duplicateRule } from './duplicate.ts';
import { headerConsistencyRule } from './header-consistency.ts';
import { targetingRule } from './targeting.ts';
import { userAgentBotRule } from './user-agent-bot.ts';
import { verifiedCrawlerRule } from './verified-crawler.ts';
import { datacenterRule } from './datacenter.ts';
import { vpnRule } from './vpn.ts';
import { rapidFireRule } from './rapid-fire.ts';
import { clickFarmRule } from './click-farm.ts';
import { privacyRelayRule } from './privacy-relay.ts';

/**
 * Every rule evaluate() runs. A new rule is a new file plus one line here: its settings join
 * DetectionSettings through its `defaults`, and its signals are combined by verdict.ts.
 * The order only decides the order of reasons of equal rank.
 */
export const RULES = [
  verifiedCrawlerRule,
  userAgentBotRule,
  headerConsistencyRule,
  duplicateRule,
  targetingRule,
  accountIpListsRule,
  datacenterRule,
  vpnRule,
  privacyRelayRule,
  rapidFireRule,
  clickFarmRule,
] as const;

export type DetectionRule = (typeof RULES)[number];
