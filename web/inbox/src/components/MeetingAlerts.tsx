import type { MeetingAlert, Store } from '../store';
import { t } from '../i18n';

/** "Vera booked a meeting with you on …": one strip per booking, move or cancellation on this agent's calendar. */
export function MeetingAlerts({ store, alerts }: { store: Store; alerts: MeetingAlert[] }) {
  if (!alerts.length) return null;
  return (
    <div class="meeting-alerts" aria-live="polite">
      {alerts.map((a) => (
        <div key={a.id} class={`meeting-alert is-${a.kind}`} role="status" data-testid="meeting-alert" data-kind={a.kind} data-meeting-id={a.meeting.id}>
          <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true">
            <path d="M8 2v4M16 2v4M3 10h18" />
            <rect x="3" y="4" width="18" height="18" rx="2" />
          </svg>
          <span class="meeting-alert-text" data-testid="meeting-alert-text">
            {a.text}
          </span>
          <button
            type="button"
            class="btn btn-sm meeting-alert-open"
            onClick={() => {
              store.dismissMeetingAlert(a.id);
              store.navigate('meetings');
            }}
            data-testid="meeting-alert-open"
          >
            {t('meetingAlerts.view')}
          </button>
          <button type="button" class="icon-btn" aria-label={t('common.dismiss')} onClick={() => store.dismissMeetingAlert(a.id)} data-testid="meeting-alert-dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
