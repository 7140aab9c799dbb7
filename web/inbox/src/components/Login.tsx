import { useState } from 'preact/hooks';
import type { Store } from '../store';
import { Logo } from './Logo';
import { t } from '../i18n';

export function Login({ store, notice }: { store: Store; notice: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (!email.trim() || !password) {
      setError(t('login.missing'));
      return;
    }
    setBusy(true);
    setError(null);
    const err = await store.login(email.trim(), password);
    setBusy(false);
    if (err) setError(err);
  }

  return (
    <div class="login-page">
      <form class="login-card" onSubmit={submit} data-testid="login-form" noValidate>
        <div class="login-brand">
          <Logo size={36} />
          <div>
            <h1>Parley</h1>
            <p class="muted">{t('login.title')}</p>
          </div>
        </div>
        {notice && !error && (
          <div class="form-note" role="status">
            {notice}
          </div>
        )}
        <label class="field">
          <span>{t('login.email')}</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            autoFocus
            value={email}
            onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
            data-testid="login-email"
          />
        </label>
        <label class="field">
          <span>{t('login.password')}</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
            data-testid="login-password"
          />
        </label>
        {error && (
          <div class="form-error" role="alert" data-testid="login-error">
            {error}
          </div>
        )}
        <button type="submit" class="btn btn-primary btn-block" disabled={busy} data-testid="login-submit">
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </div>
  );
}
