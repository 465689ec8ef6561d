import { noteRateLimit, type LiveClick } from './client';
import { session } from './session';

export interface LiveEvent {
  type: 'click' | 'amended';
  click: LiveClick;
}

/**
 * Reads GET /api/v1/clicks/stream with fetch (EventSource cannot send the Authorization header) and
 * reconnects after a dropped connection until `signal` aborts.
 */
export async function followClicks(
  campaignId: number | undefined,
  onEvent: (event: LiveEvent) => void,
  onState: (state: 'connecting' | 'live' | 'offline') => void,
  signal: AbortSignal,
): Promise<void> {
  const url = `/api/v1/clicks/stream${campaignId ? `?campaign_id=${campaignId}` : ''}`;
  while (!signal.aborted) {
    onState('connecting');
    try {
      const response = await fetch(url, { headers: { authorization: `Bearer ${session.token() ?? ''}` }, signal });
      noteRateLimit(response);
      if (response.status === 401) return session.signOut('Your session ended. Please sign in again.');
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      onState('live');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if ((type === 'click' || type === 'amended') && data) onEvent({ type, click: JSON.parse(data) as LiveClick });
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    onState('offline');
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}
