import { useState } from 'preact/hooks';
import type { State, Store } from '../store';
import { ConfirmDialog } from './ConfirmDialog';
import { BackButton } from './BackButton';
import { PersonEditButton, PersonEditor, mayEditPerson } from './PersonEditor';
import type { Activity } from '../types';
import { activityDetail, activityLabel, orDash, safeHref, shortUrl, zonedDateTime } from '../format';
import { t } from '../i18n';

// [text key of the label, field, test id]
const FIELDS = [
  ['visitor.name', 'name', 'visitor-name'],
  ['visitor.jobTitle', 'job_title', 'visitor-job-title'],
  ['visitor.email', 'email', 'visitor-email'],
  ['visitor.phone', 'phone', 'visitor-phone'],
  ['visitor.crm', 'crm_status', 'visitor-crm-status'],
] as const;

export function VisitorPanel({ store, state, id }: { store: Store; state: State; id: number | null }) {
  // End session asks first (a modal question, Cancel keeps the chat).
  const [confirming, setConfirming] = useState(false);
  // The conversation whose visitor is being edited (another chat opened: back to reading).
  const [editingPersonOf, setEditingPerson] = useState<number | null>(null);
  if (id == null || store.isNotFound(id)) {
    return (
      <aside class="col col-info" aria-label={t('visitor.region')}>
        <div class="empty empty-center">
          <p class="muted">{t('visitor.empty')}</p>
        </div>
      </aside>
    );
  }
  const conv = state.convs[id];
  const editingPerson = editingPersonOf === id;
  const detail = state.details[id];
  const v = detail?.visitor ?? null;
  const canEnd = conv?.status === 'active' && conv.agent_id === state.me?.id;
  const ending = !!state.ending[id];
  const zone = state.me?.time_zone || 'UTC';
  const who = v?.name || conv?.visitor_name || t('visitor.the');

  return (
    <aside class="col col-info" aria-label={t('visitor.region')} data-testid="visitor-panel">
      <div class="info-head">
        <BackButton store={store} label={t('visitor.back')} />
        <h2>{t('visitor.title')}</h2>
        {canEnd && (
          <button type="button" class="btn btn-danger btn-sm" disabled={ending} onClick={() => setConfirming(true)} data-testid="end-session">
            {ending ? t('visitor.ending') : t('visitor.end')}
          </button>
        )}
      </div>
      {confirming && canEnd && (
        <ConfirmDialog
          title={t('visitor.endQuestion')}
          confirmLabel={t('visitor.end')}
          cancelLabel={t('visitor.keep')}
          danger
          busy={ending}
          onConfirm={() => {
            setConfirming(false);
            void store.end(id);
          }}
          onCancel={() => setConfirming(false)}
          ids={{ dialog: 'end-session-dialog', confirm: 'end-session-confirm', cancel: 'end-session-cancel' }}
        >
          {t('visitor.endText', { who })}
        </ConfirmDialog>
      )}
      {editingPerson ? (
        <PersonEditor store={store} id={id} visitor={v} onDone={() => setEditingPerson(null)} />
      ) : (
      <dl class="fields">
        {FIELDS.map(([label, key, testid]) => (
          <div class="field-row" key={key}>
            <dt>{t(label)}</dt>
            <dd data-testid={testid} class={orDash(v?.[key]) === '-' ? 'is-unknown' : ''}>
              {detail?.loading && !v ? '…' : orDash(v?.[key])}
            </dd>
          </div>
        ))}
      </dl>
      )}
      {!editingPerson && mayEditPerson(state, conv) && <PersonEditButton onClick={() => setEditingPerson(id)} />}
      {detail?.error && detail.error !== 'not_found' && <p class="form-error">{detail.error}</p>}

      <div class="info-sub">
        <h3>{t('visitor.activity')}</h3>
        <span class="muted small" title={t('visitor.timesIn', { zone })}>
          {t('visitor.last90')}
        </span>
      </div>
      <ol class="activities" data-testid="activity-list">
        {(detail?.activities ?? []).map((a) => (
          <ActivityItem key={a.id} a={a} zone={zone} current={id} onOpen={(cid) => store.select(cid)} />
        ))}
      </ol>
      {detail && !detail.loading && !detail.activities.length && <p class="muted small pad">{t('visitor.noActivity')}</p>}
    </aside>
  );
}

/**
 * One history entry: its type, the date and time in the agent's zone, and what it is about —
 * the page (title + URL), the link, or for chats a snippet that opens that conversation (whose
 * header has Download transcript once it has ended). Another agent's live chat comes from the
 * server without its conversation and snippet: it says so, with nothing to open.
 */
function ActivityItem({ a, zone, current, onOpen }: { a: Activity; zone: string; current: number; onOpen: (id: number) => void }) {
  const detail = (a.detail ?? '').trim();
  const custom = a.type === 'custom';
  const label = custom ? detail || activityLabel(a.type) : activityLabel(a.type);
  const chat = a.type.startsWith('chat') && a.conversation_id != null;
  const href = safeHref(a.url);

  let body = null;
  if (chat) {
    const text = a.type === 'chat_started' ? (detail ? t('visitor.with', { name: detail }) : t('visitor.openConversation')) : detail || t('visitor.openConversation');
    body =
      a.conversation_id === current ? (
        <div class="activity-detail" data-testid="activity-detail" title={t('visitor.thisConversation')}>
          {text} <span class="muted small">{t('visitor.thisChat')}</span>
        </div>
      ) : (
        <button
          type="button"
          class="link-btn activity-detail"
          onClick={() => onOpen(a.conversation_id!)}
          title={t('visitor.openTitle')}
          data-testid="activity-open"
          data-conversation-id={a.conversation_id!}
        >
          {text}
        </button>
      );
  } else if (a.type.startsWith('chat')) {
    body = (
      <div class="activity-detail muted" data-testid="activity-detail" title={t('visitor.laterTitle')}>
        {t('visitor.othersChat')}
      </div>
    );
  } else if (detail && !custom) {
    const worded = activityDetail(a, zone);
    body = (
      <div class="activity-detail" data-testid="activity-detail" title={worded}>
        {worded}
      </div>
    );
  }

  return (
    <li class={`activity activity-${a.type}`} data-testid="activity-item" data-type={a.type} data-conversation-id={a.conversation_id ?? undefined}>
      <span class="activity-dot" aria-hidden="true" />
      <div class="activity-body">
        <div class="activity-top">
          <span class="activity-type" data-testid="activity-type">
            {label}
          </span>
          <time class="muted small" dateTime={new Date(a.at).toISOString()} data-at={a.at} title={zone} data-testid="activity-time">
            {zonedDateTime(a.at, zone)}
          </time>
        </div>
        {body}
        {a.url &&
          (href ? (
            <a class="activity-link" href={href} target="_blank" rel="noopener noreferrer" title={a.url} data-testid="activity-url">
              {shortUrl(a.url)}
            </a>
          ) : (
            <div class="activity-link muted" data-testid="activity-url">
              {a.url}
            </div>
          ))}
      </div>
    </li>
  );
}
