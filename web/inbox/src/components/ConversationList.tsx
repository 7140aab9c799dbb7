import type { State, Store } from '../store';
import { useNow } from '../hooks';
import { initials, relativeTime, statusLabel } from '../format';
import { LoadFailed } from './LoadState';

export function ConversationList({ store, state }: { store: Store; state: State }) {
  const now = useNow(30_000);
  const { filter, list } = state;

  return (
    <nav class="col col-list" aria-label="Conversations">
      <div class="col-head">
        <h2>Conversations</h2>
        <div class="segmented" role="tablist" aria-label="Filter">
          <button
            type="button"
            role="tab"
            aria-selected={filter === 'active'}
            class={filter === 'active' ? 'is-selected' : ''}
            onClick={() => store.setFilter('active')}
            data-testid="filter-active"
          >
            Active
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={filter === 'all'}
            class={filter === 'all' ? 'is-selected' : ''}
            onClick={() => store.setFilter('all')}
            data-testid="filter-all"
          >
            All
          </button>
        </div>
      </div>
      <ul class="conv-list" data-testid="conversation-list">
        {list.map((id) => {
          const c = state.convs[id];
          if (!c) return null;
          const unread = store.unreadCount(id);
          const selected = state.selectedId === id;
          const snippet = c.last_text ?? (c.status === 'active' ? 'Chat started' : '');
          return (
            <li key={id}>
              <button
                type="button"
                class={`conv-row ${selected ? 'is-selected' : ''} ${unread ? 'is-unread' : ''}`}
                onClick={() => store.select(id)}
                aria-current={selected ? 'true' : undefined}
                data-testid="conversation-row"
                data-conversation-id={id}
                data-status={c.status}
              >
                <span class={`avatar ${c.status === 'active' ? 'avatar-live' : ''}`}>{initials(c.visitor_name)}</span>
                <span class="conv-main">
                  <span class="conv-top">
                    <span class="conv-name" data-testid="conversation-name">
                      {c.visitor_name || `Visitor #${c.visitor_id}`}
                    </span>
                    <time class="conv-time" dateTime={new Date(c.last_activity_at).toISOString()} title={new Date(c.last_activity_at).toLocaleString()}>
                      {relativeTime(c.last_activity_at, now)}
                    </time>
                  </span>
                  <span class="conv-bottom">
                    <span class="conv-snippet" data-testid="conversation-snippet">
                      {snippet || '\u00a0'}
                    </span>
                    {unread > 0 ? (
                      <span class="badge" aria-label={`${unread} unread`}>
                        {unread}
                      </span>
                    ) : (
                      <span class={`status status-${c.status}`} data-testid="conversation-status">
                        {statusLabel(c.status)}
                      </span>
                    )}
                  </span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {!list.length && !state.listLoading && !state.listError && (
        <div class="empty empty-list" data-testid="conversation-list-empty">
          <p class="empty-title">{filter === 'active' ? 'No active conversations' : 'No conversations yet'}</p>
          <p class="muted">
            {filter === 'active'
              ? state.me?.available
                ? 'New chat requests appear at the top of the page.'
                : 'Switch to Available to receive chats.'
              : 'Finished chats of every agent show here.'}
          </p>
        </div>
      )}
      {state.listError && <LoadFailed error={state.listError} onRetry={() => store.loadList(true)} />}
      {state.listLoading && !list.length && <div class="list-loading">Loading…</div>}
      {state.listNext && (
        <div class="list-more">
          <button type="button" class="btn btn-sm btn-block" disabled={state.listLoading} onClick={() => store.loadList(false)}>
            {state.listLoading ? 'Loading…' : 'Load older conversations'}
          </button>
        </div>
      )}
    </nav>
  );
}
