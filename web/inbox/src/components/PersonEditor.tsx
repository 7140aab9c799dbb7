import { useState } from 'preact/hooks';
import type { State, Store } from '../store';
import { errorText } from '../store';
import { api } from '../api';
import type { Conversation, PersonFields, Visitor } from '../types';
import './team.css';
import { t } from '../i18n';

/** The texts of the person editor (keys in locales/*.json). */
const TEXT = {
  get edit() {
    return t('person.edit');
  },
  get save() {
    return t('person.save');
  },
  get saving() {
    return t('person.saving');
  },
  get cancel() {
    return t('person.cancel');
  },
  get emailRequired() {
    return t('person.emailRequired');
  },
  fields: [
    // [text key of the label, field, test id]
    ['visitor.name', 'name', 'person-name'],
    ['visitor.jobTitle', 'job_title', 'person-job-title'],
    ['visitor.email', 'email', 'person-email'],
    ['visitor.phone', 'phone', 'person-phone'],
    ['visitor.crm', 'crm_status', 'person-crm-status'],
  ] as const,
};

/**
 * Who may edit the visitor's person fields, as the server decides it (core/team.hpp,
 * may_edit_visitor_person): admins always, an agent for their own active chat or an ended one.
 * The button only hides what the server would refuse anyway.
 */
export function mayEditPerson(state: State, conv: Conversation | undefined): boolean {
  if (!conv || !state.me) return false;
  if (state.me.role === 'admin') return true;
  return conv.status === 'ended' || (conv.status === 'active' && conv.agent_id === state.me.id);
}

type Draft = Record<(typeof TEXT.fields)[number][1], string>;

/** The visitor panel's Edit mode for name, job title, email, phone and CRM status. */
export function PersonEditor({ store, id, visitor, onDone }: { store: Store; id: number; visitor: Visitor | null; onDone: () => void }) {
  const [draft, setDraft] = useState<Draft>({
    name: visitor?.name ?? '',
    job_title: visitor?.job_title ?? '',
    email: visitor?.email ?? '',
    phone: visitor?.phone ?? '',
    crm_status: visitor?.crm_status ?? '',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (!draft.email.trim()) return setError(TEXT.emailRequired);
    const blank = (s: string) => (s.trim() ? s.trim() : null);
    const person: PersonFields = {
      email: draft.email.trim(),
      name: blank(draft.name),
      job_title: blank(draft.job_title),
      phone: blank(draft.phone),
      crm_status: blank(draft.crm_status),
      company: visitor?.company ?? null, // not in this form: kept as it is
    };
    setBusy(true);
    setError(null);
    try {
      await api.editPerson(id, person);
      await store.loadDetail(id);
      onDone();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }

  return (
    <form class="person-form" onSubmit={save} noValidate data-testid="person-form">
      {TEXT.fields.map(([label, key, testid]) => (
        <label class="field" key={key}>
          <span>{t(label)}</span>
          <input
            class="text-input"
            type={key === 'email' ? 'email' : 'text'}
            inputMode={key === 'phone' ? 'tel' : undefined}
            list={undefined}
            value={draft[key]}
            onInput={(e) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value })}
            data-testid={testid}
          />
        </label>
      ))}
      {error && (
        <p class="form-error" role="alert" data-testid="person-error">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="btn btn-ghost btn-sm" onClick={onDone} data-testid="person-cancel">
          {TEXT.cancel}
        </button>
        <button type="submit" class="btn btn-primary btn-sm" disabled={busy} data-testid="person-save">
          {busy ? TEXT.saving : TEXT.save}
        </button>
      </div>
    </form>
  );
}

export function PersonEditButton({ onClick }: { onClick: () => void }) {
  return (
    <div class="person-edit-row">
      <button type="button" class="link-btn small" onClick={onClick} data-testid="person-edit">
        {TEXT.edit}
      </button>
    </div>
  );
}
