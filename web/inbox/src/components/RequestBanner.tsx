import type { ChatRequest, Store } from '../store';
import { orDash, shortUrl } from '../format';

export function RequestBanners({ store, requests }: { store: Store; requests: ChatRequest[] }) {
  if (!requests.length) return null;
  return (
    <div class="requests">
      {requests.map((r) => {
        const v = r.visitor;
        const name = v?.name || r.conversation.visitor_name || 'Visitor';
        const taken = r.state === 'taken';
        return (
          <div
            key={r.conversation.id}
            class={`request ${taken ? 'is-taken' : ''}`}
            role="alert"
            data-testid="request-banner"
            data-conversation-id={r.conversation.id}
          >
            <span class="request-pulse" aria-hidden="true" />
            <div class="request-text">
              {taken ? (
                <span data-testid="request-message">
                  <strong>{name}</strong> — {r.message ?? 'Taken by someone else'}
                </span>
              ) : (
                <>
                  <span class="request-title">New chat request</span>
                  <strong data-testid="request-visitor-name">{name}</strong>
                  <span class="request-email" data-testid="request-visitor-email">
                    {orDash(v?.email)}
                  </span>
                  {r.conversation.page_url && <span class="request-page">on {shortUrl(r.conversation.page_url)}</span>}
                </>
              )}
            </div>
            {!taken && (
              <div class="request-actions">
                <button
                  type="button"
                  class="btn btn-primary"
                  disabled={r.state === 'accepting'}
                  onClick={() => store.accept(r.conversation.id)}
                  data-testid="request-accept"
                >
                  {r.state === 'accepting' ? 'Accepting…' : 'Accept'}
                </button>
              </div>
            )}
            {taken && (
              <button type="button" class="icon-btn" aria-label="Dismiss" onClick={() => store.dismissRequest(r.conversation.id)}>
                ×
              </button>
            )}
          </div>
        );
      })}
    </div>
  );
}
