import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { errorText } from '../store';
import { Logo } from './Logo';
import { t } from '../i18n';

/** Where invitation and reset links point; the secret follows in the fragment (#token=…). */
export const SET_PASSWORD_PATH = '/inbox/set-password';

/** The texts of the set-password page (keys in locales/*.json). */
const TEXT = {
  get title() {
    return t('setPassword.title');
  },
  get checking() {
    return t('setPassword.checking');
  },
  forWhom: (name: string, email: string) => t('setPassword.forWhom', { name, email }),
  get invalid() {
    return t('setPassword.invalid');
  },
  get password() {
    return t('setPassword.password');
  },
  get repeat() {
    return t('setPassword.repeat');
  },
  get hint() {
    return t('setPassword.hint');
  },
  get submit() {
    return t('setPassword.submit');
  },
  get busy() {
    return t('setPassword.busy');
  },
  get tooShort() {
    return t('setPassword.tooShort');
  },
  get mismatch() {
    return t('setPassword.mismatch');
  },
  get toLogin() {
    return t('setPassword.toLogin');
  },
};

/** Read once: the fragment leaves the address bar (and the history) as soon as the page starts. */
function takeToken(): string {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token') ?? '';
  history.replaceState(null, '', SET_PASSWORD_PATH);
  return token;
}

/** The page of an invitation or password-reset link: no session needed; signs in when done. */
export function SetPasswordPage() {
  const [token] = useState(takeToken);
  const [owner, setOwner] = useState<{ name: string; email: string } | null>(null);
  const [invalid, setInvalid] = useState(false);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!token) return setInvalid(true);
    api.checkPasswordLink(token).then(
      (r) => setOwner(r.agent),
      () => setInvalid(true),
    );
  }, [token]);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (password.length < 8) return setError(TEXT.tooShort);
    if (password !== repeat) return setError(TEXT.mismatch);
    setBusy(true);
    setError(null);
    try {
      await api.usePasswordLink(token, password);
      location.replace('/inbox/'); // signed in: the Inbox boots with the new session
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }

  return (
    <div class="login-page">
      <form class="login-card" onSubmit={submit} noValidate data-testid="set-password-form">
        <div class="login-brand">
          <Logo size={36} />
          <div>
            <h1>Parley</h1>
            <p class="muted">{TEXT.title}</p>
          </div>
        </div>
        {invalid ? (
          <>
            <p class="form-error" role="alert" data-testid="set-password-invalid">
              {TEXT.invalid}
            </p>
            <a class="btn" href="/inbox/">
              {TEXT.toLogin}
            </a>
          </>
        ) : !owner ? (
          <p class="muted">{TEXT.checking}</p>
        ) : (
          <>
            <p class="form-note" data-testid="set-password-owner">
              {TEXT.forWhom(owner.name, owner.email)}
            </p>
            <input type="email" autoComplete="username" value={owner.email} readOnly hidden />
            <label class="field">
              <span>{TEXT.password}</span>
              <input type="password" autoComplete="new-password" autoFocus value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} data-testid="set-password-new" />
              <small class="muted">{TEXT.hint}</small>
            </label>
            <label class="field">
              <span>{TEXT.repeat}</span>
              <input type="password" autoComplete="new-password" value={repeat} onInput={(e) => setRepeat((e.target as HTMLInputElement).value)} data-testid="set-password-repeat" />
            </label>
            {error && (
              <div class="form-error" role="alert" data-testid="set-password-error">
                {error}
              </div>
            )}
            <button type="submit" class="btn btn-primary btn-block" disabled={busy} data-testid="set-password-submit">
              {busy ? TEXT.busy : TEXT.submit}
            </button>
          </>
        )}
      </form>
    </div>
  );
}
