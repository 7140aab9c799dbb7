import { useState } from 'preact/hooks';
import type { State, Store } from '../store';
import { errorText } from '../store';
import { api } from '../api';
import type { Agent, PasswordLink } from '../types';
import { availabilityText, effectiveStatus, initials } from '../format';
import { useNow } from '../hooks';
import { LoadFailed } from './LoadState';
import { ConfirmDialog } from './ConfirmDialog';
import { AddAgentForm, EditAgentForm, LinkNotice } from './TeamForms';
import { PeopleImport } from './PeopleImport';
import { ApiTokens } from './ApiTokens';
import { Webhooks } from './Webhooks';
import './team.css';
import { t } from '../i18n';

/** The texts of the Team page (keys in locales/*.json). */
const TEXT = {
  get title() {
    return t('team.title');
  },
  get subtitle() {
    return t('team.subtitle');
  },
  get add() {
    return t('team.add');
  },
  get loading() {
    return t('team.loading');
  },
  get agent() {
    return t('team.agent');
  },
  get status() {
    return t('team.status');
  },
  get zone() {
    return t('team.zone');
  },
  get maxChats() {
    return t('team.maxChats');
  },
  get actions() {
    return t('team.actions');
  },
  get admin() {
    return t('team.admin');
  },
  get calendar() {
    return t('team.calendar');
  },
  get deactivated() {
    return t('team.deactivated');
  },
  get you() {
    return t('team.you');
  },
  get edit() {
    return t('team.edit');
  },
  get resetPassword() {
    return t('team.resetPassword');
  },
  get deactivate() {
    return t('team.deactivate');
  },
  get reactivate() {
    return t('team.reactivate');
  },
  get working() {
    return t('team.working');
  },
  available: (n: number, of: number) => t('team.available', { n, of }),
  confirmTitle: (name: string) => t('team.confirmTitle', { name }),
  confirmBody: (name: string) => t('team.confirmBody', { name }),
  get confirm() {
    return t('team.confirm');
  },
  get keep() {
    return t('team.keep');
  },
};

/** Admins: every agent, their live status (GET /agents, then `agent.status` frames), and managing them. */
export function TeamStatus({ store, state }: { store: Store; state: State }) {
  const now = useNow(60_000);
  const team = state.team;
  const agents = team ? Object.values(team).sort((a, b) => Number(a.active === false) - Number(b.active === false) || a.name.localeCompare(b.name) || a.id - b.id) : [];
  const active = agents.filter((a) => a.active !== false);
  const availableCount = active.filter((a) => effectiveStatus(a).available).length;
  const zone = state.me?.time_zone || 'UTC';

  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [link, setLink] = useState<{ name: string; kind: 'invitation' | 'reset'; link: PasswordLink } | null>(null);
  const [confirm, setConfirm] = useState<Agent | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [rowError, setRowError] = useState<{ id: number; text: string } | null>(null);

  // Every change reloads the list: the answer is the truth, and other admins may have acted too.
  async function act(a: Agent, run: () => Promise<unknown>) {
    setBusy(a.id);
    setRowError(null);
    try {
      await run();
      await store.loadTeam();
    } catch (err) {
      setRowError({ id: a.id, text: errorText(err) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <div class="settings-form">
      <header class="settings-head">
        <div>
          <h2>{TEXT.title}</h2>
          <p class="muted">{TEXT.subtitle}</p>
        </div>
        {team && (
          <span class="team-count" data-testid="team-count">
            {TEXT.available(availableCount, active.length)}
          </span>
        )}
        {!adding && (
          <button type="button" class="btn btn-primary btn-sm" onClick={() => setAdding(true)} data-testid="team-add">
            {TEXT.add}
          </button>
        )}
      </header>
      {link && <LinkNotice {...link} zone={zone} onDone={() => setLink(null)} />}
      {adding && (
        <AddAgentForm
          onCancel={() => setAdding(false)}
          onAdded={(agent, invitation) => {
            setAdding(false);
            if (invitation) setLink({ name: agent.name, kind: 'invitation', link: invitation });
            void store.loadTeam();
          }}
        />
      )}
      <section class="card card-flush">
        {state.teamError && <LoadFailed error={state.teamError} onRetry={() => store.loadTeam()} testid="team-error" />}
        {!team && !state.teamError && <div class="list-loading">{TEXT.loading}</div>}
        {team && (
          <table class="team-table" data-testid="team-table">
            <thead>
              <tr>
                <th scope="col">{TEXT.agent}</th>
                <th scope="col">{TEXT.status}</th>
                <th scope="col">{TEXT.zone}</th>
                <th scope="col" class="num">
                  {TEXT.maxChats}
                </th>
                <th scope="col">{TEXT.actions}</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => {
                const st = effectiveStatus(a);
                const { label, reason } = availabilityText(a, now);
                const off = a.active === false;
                const working = busy === a.id;
                return [
                  <tr
                    key={a.id}
                    class={off ? 'is-deactivated' : ''}
                    data-testid="team-row"
                    data-agent-id={a.id}
                    data-email={a.email}
                    data-active={off ? 'false' : 'true'}
                    data-state={st.available && !off ? 'available' : 'unavailable'}
                  >
                    <td>
                      <div class="team-agent">
                        <span class={`avatar ${st.available && !off ? 'avatar-live' : ''}`} data-testid="team-avatar">
                          {a.initials || initials(a.name)}
                        </span>
                        <div>
                          <div class="team-name">
                            <span data-testid="team-name">{a.name}</span>
                            {a.role === 'admin' && <span class="role-tag">{TEXT.admin}</span>}
                            {a.takes_chats === false && (
                              <span class="role-tag" data-testid="team-calendar-tag">
                                {TEXT.calendar}
                              </span>
                            )}
                            {off && (
                              <span class="role-tag role-tag-off" data-testid="team-deactivated-tag">
                                {TEXT.deactivated}
                              </span>
                            )}
                            {a.id === state.me?.id && <span class="muted small">{TEXT.you}</span>}
                          </div>
                          <div class="muted small">{a.email}</div>
                        </div>
                      </div>
                    </td>
                    <td data-testid="team-status">
                      {off ? (
                        <span class="status">{TEXT.deactivated}</span>
                      ) : (
                        <>
                          <span class={`status ${st.available ? 'status-active' : ''}`}>{label}</span>
                          <span class="muted small team-reason">{reason.replace(/^ — /, '')}</span>
                        </>
                      )}
                    </td>
                    <td class="muted">{(a.time_zone ?? '-').replace(/_/g, ' ')}</td>
                    <td class="num" data-testid="team-max">
                      {a.max_chats}
                    </td>
                    <td>
                      <div class="team-actions">
                        {!off && (
                          <button type="button" class="btn btn-sm" disabled={working} onClick={() => setEditing(editing === a.id ? null : a.id)} data-testid="team-edit">
                            {TEXT.edit}
                          </button>
                        )}
                        {!off && (
                          <button
                            type="button"
                            class="btn btn-sm"
                            disabled={working}
                            onClick={() => void act(a, async () => setLink({ name: a.name, kind: 'reset', link: (await api.passwordLink(a.id)).link }))}
                            data-testid="team-reset"
                          >
                            {TEXT.resetPassword}
                          </button>
                        )}
                        {off ? (
                          <button type="button" class="btn btn-sm" disabled={working} onClick={() => void act(a, () => api.reactivateAgent(a.id))} data-testid="team-reactivate">
                            {working ? TEXT.working : TEXT.reactivate}
                          </button>
                        ) : (
                          <button type="button" class="btn btn-sm btn-danger" disabled={working} onClick={() => setConfirm(a)} data-testid="team-deactivate">
                            {working ? TEXT.working : TEXT.deactivate}
                          </button>
                        )}
                      </div>
                      {rowError?.id === a.id && (
                        <p class="form-error" role="alert" data-testid="team-row-error">
                          {rowError.text}
                        </p>
                      )}
                    </td>
                  </tr>,
                  editing === a.id && !off && (
                    <tr key={`edit-${a.id}`} class="team-edit-row">
                      <td colSpan={5}>
                        <EditAgentForm
                          agent={a}
                          onCancel={() => setEditing(null)}
                          onSaved={() => {
                            setEditing(null);
                            void store.loadTeam();
                          }}
                        />
                      </td>
                    </tr>
                  ),
                ];
              })}
            </tbody>
          </table>
        )}
      </section>
      {confirm && (
        <ConfirmDialog
          title={TEXT.confirmTitle(confirm.name)}
          confirmLabel={TEXT.confirm}
          cancelLabel={TEXT.keep}
          danger
          onConfirm={() => {
            const a = confirm;
            setConfirm(null);
            if (link?.name === a.name) setLink(null); // their links stop working
            void act(a, () => api.deactivateAgent(a.id));
          }}
          onCancel={() => setConfirm(null)}
          ids={{ dialog: 'team-deactivate-dialog', confirm: 'team-deactivate-confirm', cancel: 'team-deactivate-cancel' }}
        >
          {TEXT.confirmBody(confirm.name)}
        </ConfirmDialog>
      )}
      <PeopleImport />
      <ApiTokens zone={zone} />
      <Webhooks zone={zone} />
    </div>
  );
}
