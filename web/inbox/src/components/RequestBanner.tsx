import { useEffect, useRef } from 'preact/hooks';
import type { ChatRequest, Store } from '../store';
import { orDash, shortUrl } from '../format';
import { useNow } from '../hooks';
import { t } from '../i18n';
import type { Summary } from '../types';

/** A long question is cut at a word near 140 characters (the whole text is its tooltip). */
function cut(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ');
  if (flat.length <= max) return flat;
  const room = flat.slice(0, max);
  const space = room.lastIndexOf(' ');
  return (space > max * 0.6 ? room.slice(0, space) : room) + '…';
}

export function RequestBanners({ store, requests, focusId }: { store: Store; requests: ChatRequest[]; focusId: number | null }) {
  // One clock for every countdown while something waits (4 ticks a second, so the shown
  // second changes within 250 ms of the real one).
  const counting = requests.some((r) => r.state !== 'taken' && r.conversation.offer_expires_at);
  const now = useNow(counting ? 250 : 60_000);
  if (!requests.length) return null;
  return (
    <div class="requests" aria-live="assertive">
      {requests.map((r) => (
        <Banner key={r.conversation.id} store={store} r={r} now={now} focused={focusId === r.conversation.id} />
      ))}
    </div>
  );
}

function Banner({ store, r, now, focused }: { store: Store; r: ChatRequest; now: number; focused: boolean }) {
  const v = r.visitor;
  const name = v?.name || r.conversation.visitor_name || t('request.visitor');
  const taken = r.state === 'taken';
  // The visitor's first question ("How can we help?"): the request's first text message.
  const question = (r.conversation as Partial<Summary>).last_text?.trim() || '';
  const accept = useRef<HTMLButtonElement>(null);
  const box = useRef<HTMLDivElement>(null);

  // A click on the browser notification lands here: Accept gets the keyboard focus.
  useEffect(() => {
    if (!focused) return;
    box.current?.scrollIntoView({ block: 'nearest' });
    accept.current?.focus();
  }, [focused]);

  const expires = r.conversation.offer_expires_at ?? null;
  const left = expires ? Math.max(0, Math.ceil((expires - now) / 1000)) : null;

  return (
    <div
      ref={box}
      class={`request ${taken ? 'is-taken' : ''} ${focused ? 'is-focused' : ''}`}
      role={taken ? 'status' : 'alert'}
      data-testid="request-banner"
      data-conversation-id={r.conversation.id}
      data-state={r.state}
    >
      <span class="request-pulse" aria-hidden="true" />
      <div class="request-text">
        {taken ? (
          <span data-testid="request-message" data-reason={r.reason ?? ''}>
            <strong>{name}</strong> — {r.message ?? t('request.taken')}
          </span>
        ) : (
          <>
            <span class="request-title">{t('request.new')}</span>
            <strong data-testid="request-visitor-name">{name}</strong>
            <span class="request-email" data-testid="request-visitor-email">
              {orDash(v?.email)}
            </span>
            {r.conversation.page_url && <span class="request-page">{t('request.onPage', { page: shortUrl(r.conversation.page_url) })}</span>}
            {question && (
              <span class="request-question" title={question} data-testid="request-question">
                “{cut(question)}”
              </span>
            )}
          </>
        )}
      </div>
      {!taken && left !== null && <Countdown left={left} />}
      {!taken && (
        <div class="request-actions">
          <button
            ref={accept}
            type="button"
            class="btn btn-primary"
            disabled={r.state !== 'offered'}
            onClick={() => store.accept(r.conversation.id)}
            data-testid="request-accept"
          >
            {r.state === 'accepting' ? t('request.accepting') : t('request.accept')}
          </button>
          <button
            type="button"
            class="btn"
            disabled={r.state !== 'offered'}
            onClick={() => store.passOn(r.conversation.id)}
            data-testid="request-pass-on"
          >
            {t('request.passOn')}
          </button>
        </div>
      )}
      {taken && (
        <button type="button" class="icon-btn" aria-label={t('common.dismiss')} onClick={() => store.dismissRequest(r.conversation.id)}>
          ×
        </button>
      )}
    </div>
  );
}

function Countdown({ left }: { left: number }) {
  const m = Math.floor(left / 60);
  const s = left % 60;
  const text = m > 0 ? `${m}:${String(s).padStart(2, '0')}` : `${s}s`;
  return (
    <span
      class={`countdown ${left <= 10 ? 'is-urgent' : ''}`}
      data-testid="request-countdown"
      data-seconds={left}
      title={t('request.timeTitle')}
      aria-label={t('request.secondsLeft', { count: left })}
    >
      <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true">
        <circle cx="12" cy="13" r="8" />
        <path d="M12 9v4l2 2M9 2h6" />
      </svg>
      {left > 0 ? (
        <span>
          {text} <small>{t('request.left')}</small>
        </span>
      ) : (
        t('request.timesUp')
      )}
    </span>
  );
}
