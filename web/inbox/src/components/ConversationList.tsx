import { useRef } from 'preact/hooks';
import type { State, Store } from '../store';
import { useNow } from '../hooks';
import { initials, relativeTime, statusLabel, zonedDateTime } from '../format';
import { t } from '../i18n';
import { LoadFailed } from './LoadState';

export function ConversationList({ store, state }: { store: Store; state: State }) {
  const now = useNow(30_000);
  const { filter, list, query, listQuery } = state;
  const searchRef = useRef<HTMLInputElement>(null);
  const searching = !!listQuery;

  return (
    <nav class="col col-list" aria-label={t('list.region')}>
      <div class="col-head">
        <h2>{t('list.title')}</h2>
        <div class="segmented" role="tablist" aria-label={t('list.filter')}>
          <button
            type="button"
            role="tab"
            aria-selected={filter === 'active'}
            class={filter === 'active' ? 'is-selected' : ''}
            onClick={() => store.setFilter('active')}
            data-testid="filter-active"
          >
            {t('list.active')}
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={filter === 'all'}
            class={filter === 'all' ? 'is-selected' : ''}
            onClick={() => store.setFilter('all')}
            data-testid="filter-all"
          >
            {t('list.all')}
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={filter === 'missed'}
            class={filter === 'missed' ? 'is-selected' : ''}
            onClick={() => store.setFilter('missed')}
            data-testid="filter-missed"
          >
            {t('missed.filter')}
            {state.missedCount > 0 && (
              <span class="badge" aria-label={t('missed.countLabel', { count: state.missedCount })} data-testid="missed-count">
                {state.missedCount}
              </span>
            )}
          </button>
        </div>
      </div>
      <form
        class="list-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        <svg class="list-search-icon" width="16" height="16" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="11" cy="11" r="7" fill="none" stroke="currentColor" stroke-width="2" />
          <path d="m20 20-3.5-3.5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        </svg>
        <input
          ref={searchRef}
          type="search"
          value={query}
          placeholder={t('list.search')}
          aria-label={t('list.searchLabel')}
          maxLength={200}
          onInput={(e) => store.setQuery((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && query) {
              e.preventDefault();
              store.setQuery('');
            }
          }}
          data-testid="conversation-search"
        />
        {query && (
          <button
            type="button"
            class="list-search-clear"
            aria-label={t('list.clearSearch')}
            onClick={() => {
              store.setQuery('');
              searchRef.current?.focus();
            }}
            data-testid="conversation-search-clear"
          >
            ×
          </button>
        )}
      </form>
      <ul
        class="conv-list"
        data-testid="conversation-list"
        data-query={listQuery}
        data-loading={state.listLoading ? 'true' : 'false'}
        aria-busy={state.listLoading}
      >
        {list.map((id) => {
          const c = state.convs[id];
          if (!c) return null;
          const unread = store.unreadCount(id);
          const selected = state.selectedId === id;
          const snippet = c.last_text ?? (c.status === 'active' ? t('list.chatStarted') : '');
          const inactive = c.status === 'ended' || c.status === 'missed';
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
                data-unread={unread}
              >
                <span class={`avatar ${c.status === 'active' ? 'avatar-live' : ''}`}>{initials(c.visitor_name)}</span>
                <span class="conv-main">
                  <span class="conv-top">
                    <span class="conv-name" data-testid="conversation-name">
                      {c.visitor_name || t('chat.visitorNumber', { id: c.visitor_id })}
                    </span>
                    <time class="conv-time" dateTime={new Date(c.last_activity_at).toISOString()} title={zonedDateTime(c.last_activity_at, state.me?.time_zone)} data-testid="conversation-time">
                      {relativeTime(c.last_activity_at, now, state.me?.time_zone)}
                    </time>
                  </span>
                  <span class="conv-bottom">
                    <span class="conv-snippet" data-testid="conversation-snippet">
                      {snippet || '\u00a0'}
                    </span>
                    {unread > 0 ? (
                      <span class="badge" aria-label={t('list.unread', { count: unread })} data-testid="conversation-unread">
                        {unread}
                      </span>
                    ) : (
                      <span class={`status status-${c.status}`} data-testid="conversation-status">
                        {statusLabel(c.status)}
                      </span>
                    )}
                  </span>
                  {c.status === 'missed' && c.followup && (
                    <span class="conv-agent muted" data-testid="conversation-followup" data-done={c.followup.done_at ? 'true' : 'false'}>
                      {c.followup.done_at ? t('followup.doneBy', { name: c.followup.agent_name }) : t('followup.claimedBy', { name: c.followup.agent_name })}
                    </span>
                  )}
                  {inactive && c.agent_name && (
                    <span class="conv-agent muted" data-testid="conversation-agent">
                      {c.agent_name}
                    </span>
                  )}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {!list.length && !state.listLoading && !state.listError && (
        <div class="empty empty-list" data-testid="conversation-list-empty">
          {searching ? (
            <>
              <p class="empty-title">{t('list.noMatches')}</p>
              <p class="muted">
                {filter === 'active' ? t('list.nothingActive', { query: listQuery }) : t('list.nothing', { query: listQuery })}
              </p>
            </>
          ) : (
            <>
              <p class="empty-title">{filter === 'active' ? t('list.noActive') : t('list.noneYet')}</p>
              <p class="muted">
                {filter === 'active'
                  ? state.me?.takes_chats === false
                    ? t('list.calendarOnly')
                    : state.me?.available
                    ? t('list.requestsAppear')
                    : t('list.goAvailable')
                  : t('list.finished')}
              </p>
            </>
          )}
        </div>
      )}
      {state.listError && <LoadFailed error={state.listError} onRetry={() => store.loadList(true)} />}
      {state.listLoading && !list.length && <div class="list-loading">{query.trim() ? t('list.searching') : t('list.loading')}</div>}
      {state.listNext && (
        <div class="list-more">
          <button type="button" class="btn btn-sm btn-block" disabled={state.listLoading} onClick={() => store.loadList(false)} data-testid="load-more">
            {state.listLoading ? t('list.loading') : t('list.loadMore')}
          </button>
        </div>
      )}
    </nav>
  );
}
