import { Link } from 'wouter';
import { ApiError, errorMessage } from '../api/client';

/**
 * A refused delete, said plainly: an offer or lander that a campaign's flow uses answers 409 with the
 * campaigns in `details.campaign_ids`, each linked to its edit page so the buyer can change the flow first.
 */
export function DeleteError({ error, what }: { error: unknown; what: string }) {
  const campaigns = error instanceof ApiError && error.status === 409 ? (error.details?.campaign_ids ?? []) : [];
  return (
    <div className="error" role="alert" data-testid="delete-error">
      {campaigns.length > 0 ? (
        <>
          This {what} cannot be deleted: it is used by the flow of {campaigns.length === 1 ? 'campaign' : 'campaigns'}{' '}
          {campaigns.map((id, i) => (
            <span key={id}>
              {i > 0 && ', '}
              <Link href={`/campaigns/${id}/edit`}>#{id}</Link>
            </span>
          ))}
          . Take it out of those flows first.
        </>
      ) : (
        errorMessage(error)
      )}
    </div>
  );
}
