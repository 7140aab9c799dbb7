import { useState } from 'preact/hooks';
import type { Store } from '../store';
import { errorText } from '../store';
import { ApiError, api, type EmailSettings as Settings } from '../api';
import { useLeaveGuard, useServerDraft } from '../hooks';
import { LoadingCard } from './LoadState';
import { SettingsFooter } from './SettingsFooter';
import { t } from '../i18n';

/** The form's fields; the password field is empty unless the admin types a new one. */
interface Draft {
  host: string;
  port: string;
  security: 'none' | 'starttls' | 'tls';
  user: string;
  password: string;
  /** The stored password is to be removed. */
  clear_password: boolean;
  from_address: string;
  from_name: string;
}

const toDraft = (s: Settings): Draft => ({
  host: s.host,
  port: String(s.port),
  security: s.security,
  user: s.user,
  password: '',
  clear_password: false,
  from_address: s.from_address,
  from_name: s.from_name,
});

const DEFAULT_PORTS: Record<Draft['security'], string> = { none: '25', starttls: '587', tls: '465' };

/**
 * Admins: the mail server that follow-up emails go out through (GET/PUT /admin/email), and a
 * test email to the admin's own address (POST /admin/email/test). The server never sends the
 * stored password back: the form only says whether one is set.
 */
export function EmailSettings({ store }: { store: Store }) {
  const { saved, draft, setDraft, replace, loadError, load } = useServerDraft(() => api.emailSettings().then((r) => r.email), toDraft, t('ws.adminsOnlySee'));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [test, setTest] = useState<{ busy: boolean; ok?: boolean; text?: string }>({ busy: false });
  const leaveGuard = useLeaveGuard(store);

  if (!draft || !saved) return <LoadingCard error={loadError} onRetry={load} errorTestId="email-load-error" text={t('email.loading')} />;

  const set = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setDone(false);
    setTest({ busy: false });
  };
  const dirty = JSON.stringify({ ...draft }) !== JSON.stringify(toDraft(saved));
  leaveGuard.current = dirty;
  const port = Number(draft.port);
  const problems: string[] = [];
  if (draft.host.trim()) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(t('email.portBad'));
    if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(draft.from_address.trim())) problems.push(t('email.fromBad'));
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (problems.length) {
      setError(problems.join(' '));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = {
        host: draft!.host.trim(),
        port,
        security: draft!.security,
        user: draft!.user.trim(),
        from_address: draft!.from_address.trim(),
        from_name: draft!.from_name.trim(),
      };
      // The password goes only when typed (or removed): saving the rest keeps the stored one.
      if (draft!.password) body.password = draft!.password;
      else if (draft!.clear_password) body.password = '';
      replace((await api.saveEmailSettings(body)).email);
      setDone(true);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 403 ? t('ws.adminsOnlyChange') : t('cal.notSaved', { error: errorText(err) }));
    } finally {
      setBusy(false);
    }
  }

  async function sendTest() {
    setTest({ busy: true });
    try {
      await api.testEmail();
      setTest({ busy: false, ok: true, text: t('email.testSent') });
    } catch (err) {
      setTest({ busy: false, ok: false, text: t('email.testFailed', { error: errorText(err) }) });
    }
  }

  const id = (name: string) => `email-${name}`;
  return (
    <form class="settings-form" onSubmit={submit} noValidate data-testid="email-settings-form">
      <header class="settings-head">
        <div>
          <h2>{t('email.title')}</h2>
          <p class="muted">{t('email.sub')}</p>
        </div>
      </header>
      <section class="card">
        <div class="settings-grid">
          <label class="field">
            <span>{t('email.host')}</span>
            <input type="text" autoComplete="off" spellcheck={false} placeholder="smtp.example.com" value={draft.host} onInput={(e) => set({ host: (e.target as HTMLInputElement).value })} data-testid={id('host')} />
            <small class="muted">{t('email.hostHelp')}</small>
          </label>
          <label class="field">
            <span>{t('email.security')}</span>
            <select
              value={draft.security}
              onChange={(e) => {
                const security = (e.target as HTMLSelectElement).value as Draft['security'];
                // Follow the usual port of the new choice unless a port of one's own was typed.
                const usual = Object.values(DEFAULT_PORTS).includes(draft.port);
                set({ security, port: usual ? DEFAULT_PORTS[security] : draft.port });
              }}
              data-testid={id('security')}
            >
              <option value="starttls">{t('email.securityStarttls')}</option>
              <option value="tls">{t('email.securityTls')}</option>
              <option value="none">{t('email.securityNone')}</option>
            </select>
          </label>
          <label class="field">
            <span>{t('email.port')}</span>
            <input type="number" min={1} max={65535} value={draft.port} onInput={(e) => set({ port: (e.target as HTMLInputElement).value })} data-testid={id('port')} />
          </label>
          <label class="field">
            <span>{t('email.user')}</span>
            <input type="text" autoComplete="off" spellcheck={false} value={draft.user} onInput={(e) => set({ user: (e.target as HTMLInputElement).value })} data-testid={id('user')} />
            <small class="muted">{t('email.userHelp')}</small>
          </label>
          <label class="field">
            <span>{t('email.password')}</span>
            <input
              type="password"
              autoComplete="new-password"
              value={draft.password}
              placeholder={saved.password_set && !draft.clear_password ? t('email.passwordKept') : ''}
              onInput={(e) => set({ password: (e.target as HTMLInputElement).value, clear_password: false })}
              data-testid={id('password')}
            />
            <small class="muted" data-testid={id('password-state')}>
              {saved.password_set && !draft.clear_password ? t('email.passwordSet') : t('email.passwordNone')}
              {saved.password_set && !draft.clear_password && !draft.password && (
                <>
                  {' '}
                  <button type="button" class="link-btn small" onClick={() => set({ clear_password: true })} data-testid={id('password-clear')}>
                    {t('email.passwordClear')}
                  </button>
                </>
              )}
            </small>
          </label>
          <label class="field">
            <span>{t('email.fromAddress')}</span>
            <input type="email" autoComplete="off" placeholder="support@example.com" value={draft.from_address} onInput={(e) => set({ from_address: (e.target as HTMLInputElement).value })} data-testid={id('from-address')} />
          </label>
          <label class="field">
            <span>{t('email.fromName')}</span>
            <input type="text" value={draft.from_name} onInput={(e) => set({ from_name: (e.target as HTMLInputElement).value })} data-testid={id('from-name')} />
            <small class="muted">{t('email.fromNameHelp')}</small>
          </label>
        </div>
        <div class="email-test">
          <button type="button" class="btn btn-sm" disabled={!saved.configured || dirty || test.busy} onClick={() => void sendTest()} data-testid={id('test')}>
            {test.busy ? t('email.testSending') : t('email.test')}
          </button>
          <small class="muted">{!saved.configured ? t('email.testNeedsServer') : dirty ? t('email.testSaveFirst') : t('email.testHelp')}</small>
          {test.text && (
            <p class={test.ok ? 'saved' : 'form-error'} role={test.ok ? 'status' : 'alert'} data-testid={id('test-result')} data-ok={test.ok ? 'true' : 'false'}>
              {test.text}
            </p>
          )}
        </div>
      </section>
      <SettingsFooter id="email" error={error} saved={!!done} dirty={dirty} busy={busy} onDiscard={() => setDraft(toDraft(saved))} saveLabel={t('common.save')} />
    </form>
  );
}
