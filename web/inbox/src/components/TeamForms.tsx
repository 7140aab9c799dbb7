import { useState } from 'preact/hooks';
import { api } from '../api';
import { errorText } from '../store';
import type { Agent, MemberPatch, NewMember, PasswordLink, Role } from '../types';
import { zonedDateTime } from '../format';
import { t } from '../i18n';

/** The texts of the team forms (keys in locales/*.json). */
const TEXT = {
  get addTitle() {
    return t('teamForm.addTitle');
  },
  get addHint() {
    return t('teamForm.addHint');
  },
  get name() {
    return t('teamForm.name');
  },
  get email() {
    return t('teamForm.email');
  },
  get role() {
    return t('teamForm.role');
  },
  get roleAgent() {
    return t('teamForm.roleAgent');
  },
  get roleAdmin() {
    return t('teamForm.roleAdmin');
  },
  get calendar() {
    return t('teamForm.calendar');
  },
  get calendarHint() {
    return t('teamForm.calendarHint');
  },
  get maxChats() {
    return t('teamForm.maxChats');
  },
  get initials() {
    return t('teamForm.initials');
  },
  get initialsHint() {
    return t('teamForm.initialsHint');
  },
  get password() {
    return t('teamForm.password');
  },
  get passwordHint() {
    return t('teamForm.passwordHint');
  },
  get add() {
    return t('teamForm.add');
  },
  get adding() {
    return t('teamForm.adding');
  },
  get save() {
    return t('teamForm.save');
  },
  get saving() {
    return t('teamForm.saving');
  },
  get cancel() {
    return t('teamForm.cancel');
  },
  get badMax() {
    return t('teamForm.badMax');
  },
  get badPassword() {
    return t('teamForm.badPassword');
  },
  linkTitle: (name: string, kind: 'invitation' | 'reset') => (kind === 'invitation' ? t('teamForm.linkInvitation', { name }) : t('teamForm.linkReset', { name })),
  linkHint: (until: string) => t('teamForm.linkHint', { until }),
  get copy() {
    return t('teamForm.copy');
  },
  get copied() {
    return t('teamForm.copied');
  },
  get copyFailed() {
    return t('teamForm.copyFailed');
  },
  get dismiss() {
    return t('teamForm.dismiss');
  },
};

const parseMax = (s: string) => {
  const n = Number(s);
  return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : null;
};

/** The "Add agent" form. `onAdded` gets the new agent and their invitation link, if any. */
export function AddAgentForm({ onAdded, onCancel }: { onAdded: (agent: Agent, link: PasswordLink | null) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [calendarOnly, setCalendarOnly] = useState(false);
  const [maxChats, setMaxChats] = useState('10');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    const max = parseMax(maxChats);
    if (max == null) return setError(TEXT.badMax);
    if (password && password.length < 8) return setError(TEXT.badPassword);
    const member: NewMember = { name: name.trim(), email: email.trim(), role, takes_chats: !calendarOnly, max_chats: max };
    if (password) member.password = password;
    setBusy(true);
    setError(null);
    try {
      const res = await api.addAgent(member);
      onAdded(res.agent, res.invitation);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card team-form" onSubmit={submit} noValidate data-testid="team-add-form">
      <h3>{TEXT.addTitle}</h3>
      <p class="muted small">{TEXT.addHint}</p>
      <div class="settings-grid">
        <label class="field field-inline">
          <span>{TEXT.name}</span>
          <input class="text-input" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} data-testid="team-add-name" />
        </label>
        <label class="field field-inline">
          <span>{TEXT.email}</span>
          <input class="text-input" type="email" required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} data-testid="team-add-email" />
        </label>
        <RoleField role={role} onRole={setRole} testid="team-add-role" />
        <MaxChatsField value={maxChats} onValue={setMaxChats} testid="team-add-max" />
        <CalendarField checked={calendarOnly} onChecked={setCalendarOnly} testid="team-add-calendar" />
        <label class="field field-inline">
          <span>{TEXT.password}</span>
          <input
            class="text-input"
            type="password"
            autocomplete="new-password"
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
            data-testid="team-add-password"
          />
          <small class="muted">{TEXT.passwordHint}</small>
        </label>
      </div>
      {error && (
        <p class="form-error" role="alert" data-testid="team-add-error">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={onCancel}>
          {TEXT.cancel}
        </button>
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="team-add-submit">
          {busy ? TEXT.adding : TEXT.add}
        </button>
      </div>
    </form>
  );
}

/** An admin's edit of one agent: name, role, Calendar Agent, chat limit, avatar letters. */
export function EditAgentForm({ agent, onSaved, onCancel }: { agent: Agent; onSaved: (agent: Agent) => void; onCancel: () => void }) {
  const [name, setName] = useState(agent.name);
  const [role, setRole] = useState<Role>(agent.role);
  const [calendarOnly, setCalendarOnly] = useState(agent.takes_chats === false);
  const [maxChats, setMaxChats] = useState(String(agent.max_chats));
  const [initials, setInitials] = useState(agent.initials ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    const max = parseMax(maxChats);
    if (max == null) return setError(TEXT.badMax);
    const patch: MemberPatch = { name: name.trim(), role, takes_chats: !calendarOnly, max_chats: max, initials: initials.trim() };
    setBusy(true);
    setError(null);
    try {
      onSaved((await api.editAgent(agent.id, patch)).agent);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="team-form team-edit" onSubmit={submit} noValidate data-testid="team-edit-form">
      <div class="settings-grid">
        <label class="field field-inline">
          <span>{TEXT.name}</span>
          <input class="text-input" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} data-testid="team-edit-name" />
        </label>
        <label class="field field-inline">
          <span>{TEXT.initials}</span>
          <input class="text-input initials-input" maxLength={4} value={initials} onInput={(e) => setInitials((e.target as HTMLInputElement).value)} data-testid="team-edit-initials" />
          <small class="muted">{TEXT.initialsHint}</small>
        </label>
        <RoleField role={role} onRole={setRole} testid="team-edit-role" />
        <MaxChatsField value={maxChats} onValue={setMaxChats} testid="team-edit-max" />
        <CalendarField checked={calendarOnly} onChecked={setCalendarOnly} testid="team-edit-calendar" />
      </div>
      {error && (
        <p class="form-error" role="alert" data-testid="team-edit-error">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={onCancel} data-testid="team-edit-cancel">
          {TEXT.cancel}
        </button>
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="team-edit-save">
          {busy ? TEXT.saving : TEXT.save}
        </button>
      </div>
    </form>
  );
}

function RoleField({ role, onRole, testid }: { role: Role; onRole: (r: Role) => void; testid: string }) {
  return (
    <label class="field field-inline">
      <span>{TEXT.role}</span>
      <select class="text-input" value={role} onChange={(e) => onRole((e.target as HTMLSelectElement).value as Role)} data-testid={testid}>
        <option value="agent">{TEXT.roleAgent}</option>
        <option value="admin">{TEXT.roleAdmin}</option>
      </select>
    </label>
  );
}

function MaxChatsField({ value, onValue, testid }: { value: string; onValue: (v: string) => void; testid: string }) {
  return (
    <label class="field field-inline">
      <span>{TEXT.maxChats}</span>
      <input class="text-input" type="number" min={1} max={1000} step={1} value={value} onInput={(e) => onValue((e.target as HTMLInputElement).value)} data-testid={testid} />
    </label>
  );
}

function CalendarField({ checked, onChecked, testid }: { checked: boolean; onChecked: (v: boolean) => void; testid: string }) {
  return (
    <div class="field field-inline">
      <span>{TEXT.calendar}</span>
      <label class="check">
        <input type="checkbox" checked={checked} onChange={(e) => onChecked((e.target as HTMLInputElement).checked)} data-testid={testid} />
        {TEXT.calendarHint}
      </label>
    </div>
  );
}

/** A new invitation or reset link, shown once, with a Copy button. */
export function LinkNotice({ name, kind, link, zone, onDone }: { name: string; kind: 'invitation' | 'reset'; link: PasswordLink; zone: string; onDone: () => void }) {
  const url = new URL(link.path, location.origin).href;
  const [copied, setCopied] = useState<string | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(TEXT.copied);
    } catch {
      setCopied(TEXT.copyFailed);
    }
  }
  return (
    <section class="card team-link" role="status" data-testid="team-link">
      <h3>{TEXT.linkTitle(name, kind)}</h3>
      <p class="muted small">{TEXT.linkHint(zonedDateTime(link.expires_at, zone))}</p>
      <div class="csv-row">
        <input class="text-input link-url" readOnly value={url} onFocus={(e) => (e.target as HTMLInputElement).select()} aria-label={TEXT.linkTitle(name, kind)} data-testid="team-link-url" />
        <button type="button" class="btn btn-sm" onClick={() => void copy()} data-testid="team-link-copy">
          {TEXT.copy}
        </button>
        <button type="button" class="btn btn-ghost btn-sm" onClick={onDone} data-testid="team-link-done">
          {TEXT.dismiss}
        </button>
      </div>
      {copied && (
        <p class="muted small" role="status" data-testid="team-link-copied">
          {copied}
        </p>
      )}
    </section>
  );
}
