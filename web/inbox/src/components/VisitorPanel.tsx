import type { State, Store } from '../store';
import { activityLabel, dateTime, orDash } from '../format';

const FIELDS = [
  ['Name', 'name', 'visitor-name'],
  ['Job title', 'job_title', 'visitor-job-title'],
  ['Email', 'email', 'visitor-email'],
  ['Phone', 'phone', 'visitor-phone'],
  ['CRM status', 'crm_status', 'visitor-crm-status'],
] as const;

export function VisitorPanel({ store, state, id }: { store: Store; state: State; id: number | null }) {
  if (id == null) {
    return (
      <aside class="col col-info" aria-label="Visitor information">
        <div class="empty empty-center">
          <p class="muted">Visitor details appear here.</p>
        </div>
      </aside>
    );
  }
  const conv = state.convs[id];
  const detail = state.details[id];
  const v = detail?.visitor ?? null;
  const canEnd = conv?.status === 'active' && conv.agent_id === state.me?.id;
  const ending = !!state.ending[id];

  return (
    <aside class="col col-info" aria-label="Visitor information" data-testid="visitor-panel">
      <div class="info-head">
        <h2>Visitor</h2>
        {canEnd && (
          <button type="button" class="btn btn-danger btn-sm" disabled={ending} onClick={() => store.end(id)} data-testid="end-session">
            {ending ? 'Ending…' : 'End session'}
          </button>
        )}
      </div>
      <dl class="fields">
        {FIELDS.map(([label, key, testid]) => (
          <div class="field-row" key={key}>
            <dt>{label}</dt>
            <dd data-testid={testid} class={orDash(v?.[key]) === '-' ? 'is-unknown' : ''}>
              {detail?.loading && !v ? '…' : orDash(v?.[key])}
            </dd>
          </div>
        ))}
      </dl>
      {detail?.error && detail.error !== 'not_found' && <p class="form-error">{detail.error}</p>}

      <div class="info-sub">
        <h3>Activity</h3>
        <span class="muted small">Last 90 days</span>
      </div>
      <ol class="activities" data-testid="activity-list">
        {(detail?.activities ?? []).map((a) => {
          const opens = a.conversation_id != null && a.conversation_id !== id && a.type.startsWith('chat');
          return (
            <li key={a.id} class={`activity activity-${a.type}`} data-testid="activity-item" data-type={a.type}>
              <span class="activity-dot" aria-hidden="true" />
              <div class="activity-body">
                <div class="activity-top">
                  <span class="activity-type">{activityLabel(a.type)}</span>
                  <time class="muted small">{dateTime(a.at)}</time>
                </div>
                {a.detail &&
                  (opens ? (
                    <button type="button" class="link-btn activity-detail" onClick={() => store.select(a.conversation_id!)} title="Open transcript">
                      {a.detail}
                    </button>
                  ) : (
                    <div class="activity-detail">{a.detail}</div>
                  ))}
              </div>
            </li>
          );
        })}
      </ol>
      {detail && !detail.loading && !detail.activities.length && <p class="muted small pad">No activity recorded.</p>}
    </aside>
  );
}
