import { findIpInList } from '../cidr.ts';
import { NO_SIGNALS, defineRule } from '../rule.ts';
import type { Signal } from '../types.ts';

/**
 * The account's own address lists, over all its campaigns. A blocked address is held back like a
 * campaign's IP filter (`cloaked`, not fraud: the buyer decided). An allowed address is never judged
 * as fraud — the buyer's office or device lab testing its own links — but targeting still applies.
 */
export const accountIpListsRule = defineRule({
  name: 'account-ip-lists',
  type: 'allowlisted',
  defaults: {},
  evaluate({ visitor, accountIpLists }) {
    const signals: Signal[] = [];
    const blocked = findIpInList(visitor.ip, accountIpLists.block);
    if (blocked)
      signals.push({
        type: 'targeting',
        message: `${visitor.ip} is on the account's IP block list (${blocked.source})`,
        score: 0,
      });
    const allowed = findIpInList(visitor.ip, accountIpLists.allow);
    if (allowed)
      signals.push({
        type: 'allowlisted',
        message: `${visitor.ip} is on the account's IP allow list (${allowed.source}): no fraud checks`,
        score: 0,
      });
    return signals.length > 0 ? signals : NO_SIGNALS;
  },
});
