import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import type { Names } from '../flow-preview';

/** The account's offers and landers for the editor's choices (and the preview's names). */
export function useFlowTargets() {
  const offers = useQuery({
    queryKey: ['offers'],
    queryFn: () => call(api.GET('/api/v1/offers', { params: { query: { per_page: 100 } } })),
  });
  const landers = useQuery({
    queryKey: ['landers'],
    queryFn: () => call(api.GET('/api/v1/landers', { params: { query: { per_page: 100 } } })),
  });
  const offerNames = useMemo<Names>(() => new Map((offers.data?.data ?? []).map((o) => [o.id, o.name])), [offers.data]);
  const landerNames = useMemo<Names>(
    () => new Map((landers.data?.data ?? []).map((l) => [l.id, l.name])),
    [landers.data],
  );
  return { offers, landers, offerNames, landerNames };
}
