// Postbacks as a partner network sends them to a server that may die at any moment: each conversion
// follows a plan of postbacks (create, then perhaps a status change), sent one after the other; a
// postback without an answer is sent again to the next server, as networks retry. So after the last
// restart every plan can be finished, and its final state is known exactly.

export type PlannedStatus = 'approved' | 'pending' | 'rejected';

export interface PlannedPostback {
  readonly status?: PlannedStatus;
  readonly payout?: number;
}

export interface ConversionPlan {
  readonly clickId: string;
  /** Absent: the click itself is the dedupe key (a second postback is a no-op). */
  readonly txid?: string;
  readonly postbacks: readonly PlannedPostback[];
  /** Index of the next postback to send: every one before it was acknowledged (2xx). */
  next: number;
  /** A postback of this plan is on the wire right now. */
  sending: boolean;
}

/** The state a plan leaves once all its postbacks are acknowledged (the dedupe rules of SPEC §2). */
export function finalStateOf(plan: ConversionPlan): { status: PlannedStatus; payout: number } {
  const first = plan.postbacks[0]!;
  let status = first.status ?? 'approved';
  let payout = first.payout ?? 0;
  // Without a transaction id a repeat changes nothing; with one, it updates what it names.
  if (plan.txid !== undefined) {
    for (const postback of plan.postbacks.slice(1)) {
      status = postback.status ?? status;
      payout = postback.payout ?? payout;
    }
  }
  return { status, payout };
}

/**
 * The statuses the stored conversion may have after a kill: what the acknowledged postbacks made, or
 * what the unanswered next one made if it committed before the kill. Empty: none was acknowledged,
 * so the conversion may be missing too.
 */
export function possibleStatesOf(plan: ConversionPlan): PlannedStatus[] {
  if (plan.next === 0) return [];
  const upTo = (count: number) => finalStateOf({ ...plan, postbacks: plan.postbacks.slice(0, count) }).status;
  const states = [upTo(plan.next)];
  if (plan.next < plan.postbacks.length) states.push(upTo(plan.next + 1));
  return states;
}

/**
 * Four shapes, so creates, updates and repeats are all in flight at a kill. Statuses never come back
 * along a plan (pending → approved, approved → rejected), so a conversion's webhook events chain
 * unambiguously from its `conversion.created` to its final state.
 */
export function planFor(clickId: string, n: number): ConversionPlan {
  const payout = 10 + (n % 7);
  const txid = `tx-${n}`;
  const shapes: Array<Omit<ConversionPlan, 'next' | 'sending' | 'clickId'>> = [
    { txid, postbacks: [{ payout, status: 'approved' }] },
    {
      txid,
      postbacks: [
        { payout, status: 'pending' },
        { payout: payout + 5, status: 'approved' },
      ],
    },
    { txid, postbacks: [{ payout, status: 'approved' }, { status: 'rejected' }] },
    { postbacks: [{ payout }, { payout: payout + 1 }] },
  ];
  return { clickId, ...shapes[n % shapes.length]!, next: 0, sending: false };
}

export function postbackPath(plan: ConversionPlan): string {
  const postback = plan.postbacks[plan.next]!;
  const query = new URLSearchParams({ clickid: plan.clickId });
  if (postback.payout !== undefined) query.set('payout', String(postback.payout));
  if (plan.txid !== undefined) query.set('txid', plan.txid);
  if (postback.status !== undefined) query.set('status', postback.status);
  return `/api/v1/postback?${query.toString()}`;
}

/** Sends the plan's next postback; true when acknowledged, false when the server gave no answer. */
export async function sendNextPostback(baseUrl: string, plan: ConversionPlan, refused: string[]): Promise<boolean> {
  plan.sending = true;
  try {
    const response = await fetch(`${baseUrl}${postbackPath(plan)}`);
    const body = await response.text();
    if (response.status < 200 || response.status >= 300) {
      // A refusal is an answer too, but none is expected here: the click was redirected, so it is stored.
      refused.push(`${postbackPath(plan)} → ${response.status} ${body.slice(0, 200)}`);
      return false;
    }
    plan.next += 1;
    return true;
  } catch {
    return false;
  } finally {
    plan.sending = false;
  }
}
