import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { errorText } from '../store';
import { zonedDateTime } from '../format';
import type { WebhookDelivery, WebhookEndpoint } from '../types';
import { ConfirmDialog } from './ConfirmDialog';
import { t } from '../i18n';

/**
 * Admins: webhook endpoints (docs/api.md, "Webhooks"). Add one (URL and events; its secret is
 * shown with it, and can be rotated), turn it on or off, delete it, and open its delivery log
 * (status, time, attempt, the start of the answer) with "Redeliver" per delivery.
 */
export function Webhooks({ zone }: { zone?: string | null }) {
  const [endpoints, setEndpoints] = useState<WebhookEndpoint[] | null>(null);
  const [events, setEvents] = useState<string[]>([]);
  const [url, setUrl] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [log, setLog] = useState<WebhookDelivery[] | null>(null);

  async function load() {
    try {
      const res = await api.webhooks();
      setEndpoints(res.endpoints);
      setEvents(res.events);
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);

  async function run(action: () => Promise<unknown>) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
      await load();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function showLog(id: number) {
    setOpen(id);
    setLog(null);
    try {
      setLog((await api.webhookDeliveries(id)).deliveries);
    } catch (err) {
      setError(errorText(err));
    }
  }

  const create = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await api.createWebhook(url.trim(), chosen);
      setUrl('');
      setChosen([]);
    });
  };
  const toggle = (name: string) => setChosen((now) => (now.includes(name) ? now.filter((x) => x !== name) : [...now, name]));
  const statusText = (d: WebhookDelivery) => t(`webhooks.status.${d.status}`);

  return (
    <section class="card" data-testid="webhooks">
      <h3>{t('webhooks.title')}</h3>
      <p class="muted small">{t('webhooks.hint')}</p>
      <form class="api-token-form" onSubmit={create}>
        <label class="field">
          <span>{t('webhooks.url')}</span>
          <input class="text-input" type="url" value={url} maxLength={2000} placeholder="https://" onInput={(e) => setUrl((e.target as HTMLInputElement).value)} data-testid="webhook-url" />
        </label>
        <fieldset>
          <legend>{t('webhooks.events')}</legend>
          {events.map((name) => (
            <label key={name} class="check">
              <input type="checkbox" checked={chosen.includes(name)} onChange={() => toggle(name)} data-testid={`webhook-event-${name}`} />
              <code>{name}</code> <span class="muted small">{t(`webhooks.event.${name}`)}</span>
            </label>
          ))}
        </fieldset>
        <button class="btn btn-primary btn-sm" type="submit" disabled={busy || !url.trim() || chosen.length === 0} data-testid="webhook-create">
          {t('webhooks.add')}
        </button>
      </form>
      {error && (
        <p class="form-error" role="alert" data-testid="webhook-error">
          {error}
        </p>
      )}
      {endpoints && endpoints.length === 0 && <p class="muted small">{t('webhooks.none')}</p>}
      {endpoints && endpoints.length > 0 && (
        <ul class="webhook-list" data-testid="webhook-list">
          {endpoints.map((e) => (
            <li key={e.id} class="webhook-item" data-testid="webhook-row" data-active={e.active ? 'true' : 'false'}>
              <div>
                <code class="webhook-url">{e.url}</code>
                <div class="muted small">{e.events.join(', ')}</div>
                <div class="api-token-secret">
                  <span class="muted small">{t('webhooks.secret')}</span>
                  <code class="secret" data-testid="webhook-secret">
                    {e.secret}
                  </code>
                </div>
              </div>
              <div class="webhook-actions">
                <label class="check">
                  <input type="checkbox" checked={e.active} disabled={busy} onChange={() => void run(() => api.updateWebhook(e.id, { url: e.url, events: e.events, active: !e.active }))} data-testid="webhook-active" />
                  {t('webhooks.active')}
                </label>
                <button class="btn btn-sm" type="button" disabled={busy} onClick={() => void run(() => api.rotateWebhookSecret(e.id))} data-testid="webhook-rotate">
                  {t('webhooks.rotate')}
                </button>
                <button class="btn btn-sm" type="button" onClick={() => void (open === e.id ? setOpen(null) : showLog(e.id))} aria-expanded={open === e.id} data-testid="webhook-log-toggle">
                  {t('webhooks.log')}
                </button>
                <button class="btn btn-sm" type="button" disabled={busy} onClick={() => setDeleting(e)} data-testid="webhook-delete">
                  {t('webhooks.delete')}
                </button>
              </div>
              {open === e.id && (
                <div class="webhook-log" data-testid="webhook-log">
                  {!log && <p class="muted small">{t('webhooks.loading')}</p>}
                  {log && log.length === 0 && <p class="muted small">{t('webhooks.noDeliveries')}</p>}
                  {log && log.length > 0 && (
                    <table class="team-table">
                      <thead>
                        <tr>
                          <th>{t('webhooks.event')}</th>
                          <th>{t('webhooks.status')}</th>
                          <th>{t('webhooks.lastTry')}</th>
                          <th>{t('webhooks.answer')}</th>
                          <th>
                            <span class="sr-only">{t('webhooks.redeliver')}</span>
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {log.map((d) => {
                          const last = d.log[0];
                          return (
                            <tr key={d.id} data-testid="webhook-delivery" data-status={d.status}>
                              <td>
                                <code>{d.type}</code>
                              </td>
                              <td>
                                {statusText(d)}
                                <div class="muted small">{t('webhooks.attempts', { count: d.attempts })}</div>
                              </td>
                              <td>{last ? zonedDateTime(last.at, zone) : '—'}</td>
                              <td>
                                {last ? (last.http_status !== null ? `HTTP ${last.http_status}` : last.error) : '—'}
                                {last && last.snippet && <div class="muted small webhook-snippet">{last.snippet}</div>}
                              </td>
                              <td>
                                <button class="btn btn-sm" type="button" disabled={busy} onClick={() => void run(async () => { await api.redeliverWebhook(e.id, d.id); await showLog(e.id); })} data-testid="webhook-redeliver">
                                  {t('webhooks.redeliver')}
                                </button>
                              </td>
                            </tr>
                          );
                        })}
                      </tbody>
                    </table>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {deleting && (
        <ConfirmDialog
          title={t('webhooks.deleteTitle')}
          confirmLabel={t('webhooks.delete')}
          cancelLabel={t('webhooks.keep')}
          danger
          busy={busy}
          onConfirm={() => void run(() => api.deleteWebhook(deleting.id)).then(() => setDeleting(null))}
          onCancel={() => setDeleting(null)}
          ids={{ dialog: 'webhook-delete-dialog', confirm: 'webhook-delete-confirm', cancel: 'webhook-delete-cancel' }}
        >
          {t('webhooks.confirmDelete', { url: deleting.url })}
        </ConfirmDialog>
      )}
    </section>
  );
}
