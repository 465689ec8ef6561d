import { duplicateRule } from './duplicate.ts';
import { targetingRule } from './targeting.ts';
import { userAgentBotRule } from './user-agent-bot.ts';
import { verifiedCrawlerRule } from './verified-crawler.ts';

/**
 * Every rule evaluate() runs. A new rule is a new file plus one line here: its settings join
 * DetectionSettings through its `defaults`, and its signals are combined by verdict.ts.
 * The order only decides the order of reasons of equal rank.
 */
export const RULES = [verifiedCrawlerRule, userAgentBotRule, duplicateRule, targetingRule] as const;

export type DetectionRule = (typeof RULES)[number];
