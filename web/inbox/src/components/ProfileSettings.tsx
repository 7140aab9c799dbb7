import { useState } from 'preact/hooks';
import type { State } from '../store';
import { errorText } from '../store';
import { api } from '../api';
import { initials as nameInitials } from '../format';
import './team.css';

/** The texts of the profile section (one place, for the i18n pass). */
const TEXT = {
  title: 'My profile',
  hint: 'Your name is shown to visitors when you accept a chat. The avatar letters are shown in the Inbox.',
  name: 'Name',
  initials: 'Avatar letters',
  initialsHint: (fallback: string) => `One or two letters; empty for “${fallback}”.`,
  save: 'Save profile',
  saving: 'Saving…',
  saved: 'Profile saved.',
  passwordTitle: 'Password',
  current: 'Current password',
  next: 'New password',
  repeat: 'New password again',
  change: 'Change password',
  changing: 'Changing…',
  changed: 'Password changed. Your other devices are signed out.',
  tooShort: 'The new password needs at least 8 characters.',
  mismatch: 'The two new passwords are not the same.',
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
