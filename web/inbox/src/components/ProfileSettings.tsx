import { useState } from 'preact/hooks';
import type { State } from '../store';
import { errorText } from '../store';
import { api } from '../api';
import { initials as nameInitials } from '../format';
import './team.css';
import { t } from '../i18n';

/** The texts of the profile section (keys in locales/*.json). */
const TEXT = {
  get title() {
    return t('profile.title');
  },
  get hint() {
    return t('profile.hint');
  },
  get name() {
    return t('profile.name');
  },
  get initials() {
    return t('profile.initials');
  },
  initialsHint: (fallback: string) => t('profile.initialsHint', { fallback }),
  get save() {
    return t('profile.save');
  },
  get saving() {
    return t('profile.saving');
  },
  get saved() {
    return t('profile.saved');
  },
  get passwordTitle() {
    return t('profile.passwordTitle');
  },
  get current() {
    return t('profile.current');
  },
  get next() {
    return t('profile.next');
  },
  get repeat() {
    return t('profile.repeat');
  },
  get change() {
    return t('profile.change');
  },
  get changing() {
    return t('profile.changing');
  },
  get changed() {
    return t('profile.changed');
  },
  get tooShort() {
    return t('profile.tooShort');
  },
  get mismatch() {
    return t('profile.mismatch');
  },
};

/** The agent's own name, avatar letters and password (Settings → My availability). */
export function ProfileSettings({ state }: { state: State }) {
  const me = state.me!;
  const [name, setName] = useState(me.name);
  const [letters, setLetters] = useState(me.initials && me.initials !== nameInitials(me.name) ? me.initials : '');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  async function save(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setMsg(null);
    try {
      await api.saveProfile({ name: name.trim(), initials: letters.trim() });
      setMsg({ ok: true, text: TEXT.saved });
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <form class="card team-form" onSubmit={save} noValidate data-testid="profile-form">
        <h3>{TEXT.title}</h3>
        <p class="muted small">{TEXT.hint}</p>
        <div class="settings-grid">
          <label class="field field-inline">
            <span>{TEXT.name}</span>
            <input class="text-input" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} data-testid="profile-name" />
          </label>
          <label class="field field-inline">
            <span>{TEXT.initials}</span>
            <input class="text-input initials-input" maxLength={4} value={letters} onInput={(e) => setLetters((e.target as HTMLInputElement).value)} data-testid="profile-initials" />
            <small class="muted">{TEXT.initialsHint(nameInitials(name))}</small>
          </label>
        </div>
        {msg && (
          <p class={msg.ok ? 'muted' : 'form-error'} role={msg.ok ? 'status' : 'alert'} data-testid="profile-message">
            {msg.text}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="profile-save">
            {busy ? TEXT.saving : TEXT.save}
          </button>
        </div>
      </form>
      <PasswordChange />
    </>
  );
}

function PasswordChange() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (next.length < 8) return setMsg({ ok: false, text: TEXT.tooShort });
    if (next !== repeat) return setMsg({ ok: false, text: TEXT.mismatch });
    setBusy(true);
    setMsg(null);
    try {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      setRepeat('');
      setMsg({ ok: true, text: TEXT.changed });
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  const field = (label: string, value: string, set: (v: string) => void, auto: string, testid: string) => (
    <label class="field field-inline">
      <span>{label}</span>
      <input class="text-input" type="password" autocomplete={auto} value={value} onInput={(e) => set((e.target as HTMLInputElement).value)} data-testid={testid} />
    </label>
  );
  return (
    <form class="card team-form" onSubmit={submit} noValidate data-testid="password-form">
      <h3>{TEXT.passwordTitle}</h3>
      <div class="settings-grid">
        {field(TEXT.current, current, setCurrent, 'current-password', 'password-current')}
        {field(TEXT.next, next, setNext, 'new-password', 'password-new')}
        {field(TEXT.repeat, repeat, setRepeat, 'new-password', 'password-repeat')}
      </div>
      {msg && (
        <p class={msg.ok ? 'muted' : 'form-error'} role={msg.ok ? 'status' : 'alert'} data-testid="password-message">
          {msg.text}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="password-save">
          {busy ? TEXT.changing : TEXT.change}
        </button>
      </div>
    </form>
  );
}
