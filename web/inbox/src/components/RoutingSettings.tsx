import { useRef, useState } from 'preact/hooks';
import type { State, Store } from '../store';
import type { AccountKind, Agent, Routing, RuleAttribute, RuleOp } from '../types';
import { ApiError } from '../api';
import { errorText } from '../store';
import { charsText, effectiveStatus, initials, sizeText } from '../format';
import { useLeaveGuard, useServerDraft } from '../hooks';
import { LoadingCard } from './LoadState';
import { SettingsFooter } from './SettingsFooter';
import { t } from '../i18n';

// `t` also names a team in the callbacks below; `tr` is the text function there.
const tr = t;

// ---- vocabulary -----------------------------------------------------------------------------

// The words are text keys (routing.attr.<value>, routing.op.<value>), read at render time so a
// change of language shows at once.
const ATTRIBUTES: RuleAttribute[] = ['email', 'domain', 'name', 'company', 'job_title', 'phone', 'page_url'];
const OPS: RuleOp[] = ['equals', 'contains', 'starts_with', 'ends_with'];
const KINDS: AccountKind[] = ['domain', 'company'];
const kindPlaceholder = (kind: AccountKind) => (kind === 'domain' ? 'acme.com' : t('routing.companyPlaceholder'));

/** The server takes request bodies up to 64 KiB (docs/api.md). */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_VALUE_BYTES = 200;
const MAX_PRIORITY = 999_999;
const FILTER_FROM = 8;

const bytes = (s: string) => new TextEncoder().encode(s).length;
const kib = sizeText;

// ---- the editable copy ------------------------------------------------------------------------

// Every row carries a local key, so rows keep their identity (and focus) while being edited, and
// custom rules point at teams by key: renaming a team keeps the rules that route to it.
interface DTeam {
  key: number;
  name: string;
  members: number[];
}
interface DAccount {
  key: number;
  kind: AccountKind;
  value: string;
  agent: string; // agent id, '' = not chosen
}
interface DCondition {
  key: number;
  attribute: RuleAttribute;
  op: RuleOp;
  value: string;
}
interface DRule {
  key: number;
  priority: string;
  conditions: DCondition[];
  target: string; // 'agent:<id>' | 'team:<key>' | ''
}
interface Draft {
  teams: DTeam[];
  defaultTeam: number | null; // team key
  accounts: DAccount[];
  rules: DRule[];
}

let lastKey = 0;
const nextKey = () => ++lastKey;

const toAccounts = (r: Routing): DAccount[] => r.accounts.map((a) => ({ key: nextKey(), kind: a.kind, value: a.value, agent: String(a.agent_id) }));

function toDraft(r: Routing): Draft {
  const teams = r.teams.map((t) => ({ key: nextKey(), name: t.name, members: [...t.members] }));
  const teamKey = (name: string | null) => teams.find((t) => t.name === name)?.key ?? null;
  const rules = r.custom
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.priority - b.c.priority || a.i - b.i)
    .map(({ c }) => {
      const tk = c.team != null ? teamKey(c.team) : null;
      return {
        key: nextKey(),
        priority: String(c.priority),
        conditions: c.conditions.map((x) => ({ key: nextKey(), attribute: x.attribute, op: x.op, value: x.value })),
        target: c.agent_id != null ? `agent:${c.agent_id}` : tk != null ? `team:${tk}` : '',
      };
    });
  return { teams, defaultTeam: teamKey(r.default_team), accounts: toAccounts(r), rules };
}

/** The PUT body for a draft (trimmed; whatever is incomplete is left for validate() to report). */
function fromDraft(d: Draft): Routing {
  const teamName = (key: number | null) => d.teams.find((t) => t.key === key)?.name.trim() ?? null;
  return {
    accounts: d.accounts.map((a) => ({ kind: a.kind, value: a.value.trim(), agent_id: Number(a.agent) })),
    custom: d.rules.map((r) => {
      const [kind, id] = r.target.split(':');
      return {
        priority: Number(r.priority.trim()),
        conditions: r.conditions.map((c) => ({ attribute: c.attribute, op: c.op, value: c.value.trim() })),
        agent_id: kind === 'agent' ? Number(id) : null,
        team: kind === 'team' ? teamName(Number(id)) : null,
      };
    }),
    teams: d.teams.map((t) => ({ name: t.name.trim(), members: [...t.members].sort((a, b) => a - b) })),
    default_team: teamName(d.defaultTeam),
  };
}

/** Comparable form: what the server would store (account values are lower-cased there). */
function canonical(r: Routing): string {
  return JSON.stringify({
    accounts: r.accounts.map((a) => [a.kind, a.value.trim().toLowerCase(), a.agent_id]),
    custom: r.custom.map((c) => [c.priority, c.conditions.map((x) => [x.attribute, x.op, x.value.trim()]), c.agent_id, c.team]),
    teams: r.teams.map((t) => [t.name.trim(), [...t.members].sort((a, b) => a - b)]),
    default_team: r.default_team,
  });
}

interface Check {
  problems: string[];
  bad: Set<string>; // `${key}:${field}`
}

function validate(d: Draft): Check {
  const problems: string[] = [];
  const bad = new Set<string>();
  const flag = (key: number, field: string, text: string) => {
    bad.add(`${key}:${field}`);
    if (!problems.includes(text)) problems.push(text);
  };

  const names = new Map<string, number>();
  d.teams.forEach((t, i) => {
    const n = t.name.trim();
    if (!n) flag(t.key, 'name', tr('routing.teamNeedsName', { n: i + 1 }));
    else if (bytes(n) > MAX_VALUE_BYTES) flag(t.key, 'name', tr('routing.teamNameLong', { name: n.slice(0, 40) }));
    else if (names.has(n.toLowerCase())) flag(t.key, 'name', tr('routing.teamTwice', { name: n }));
    names.set(n.toLowerCase(), t.key);
  });

  const seen = new Set<string>();
  d.accounts.forEach((a, i) => {
    const v = a.value.trim();
    const label = tr('routing.accountLabel', { n: i + 1 });
    if (!v) flag(a.key, 'value', tr(a.kind === 'domain' ? 'routing.needsDomain' : 'routing.needsCompany', { label }));
    else if (bytes(v) > MAX_VALUE_BYTES) flag(a.key, 'value', tr('routing.valueTooLong', { label, limit: charsText(MAX_VALUE_BYTES) }));
    else {
      const id = `${a.kind}:${v.toLowerCase()}`;
      if (seen.has(id)) flag(a.key, 'value', tr('routing.listedTwice', { label, value: v }));
      seen.add(id);
    }
    if (!a.agent) flag(a.key, 'agent', tr('routing.needsAgent', { label }));
  });

  d.rules.forEach((r, i) => {
    const label = tr('routing.ruleLabel', { n: i + 1 });
    const p = r.priority.trim();
    if (!/^-?\d+$/.test(p) || Math.abs(Number(p)) > MAX_PRIORITY) flag(r.key, 'priority', tr('routing.priorityWhole', { label, max: MAX_PRIORITY }));
    if (!r.conditions.length) flag(r.key, 'conditions', tr('routing.needsCondition', { label }));
    for (const c of r.conditions) {
      const v = c.value.trim();
      if (!v) flag(c.key, 'value', tr('routing.conditionNeedsValue', { label }));
      else if (bytes(v) > MAX_VALUE_BYTES) flag(c.key, 'value', tr('routing.conditionTooLong', { label, limit: charsText(MAX_VALUE_BYTES) }));
    }
    if (!r.target) flag(r.key, 'target', tr('routing.needsTarget', { label }));
  });
  return { problems, bad };
}

function saveErrorText(e: unknown): string {
  if (e instanceof ApiError && e.status === 403) return t('routing.adminsOnlyChange');
  if (e instanceof ApiError && e.status === 413) return t('routing.tooLarge', { size: kib(MAX_BODY_BYTES) });
  return t('routing.notSaved', { error: errorText(e) });
}

// ---- page -----------------------------------------------------------------------------------

/** Admins: teams, account rules (+ CSV import), custom rules and the default team (GET/PUT /admin/routing). */
export function RoutingSettings({ store, state }: { store: Store; state: State }) {
  const { saved, setSaved, draft, setDraft, replace, loadError, load } = useServerDraft(() => store.loadRouting(), toDraft, t('routing.adminsOnlySee'));
  const [error, setError] = useState<string | null>(null);
  const [showProblems, setShowProblems] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const leaveGuard = useLeaveGuard(store);

  const team = state.team;
  const agents = team ? Object.values(team).sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id) : [];

  if (!draft || !saved) {
    return (
      <div class="settings-form" data-testid="routing-page" data-state="loading">
        <RoutingHead />
        <LoadingCard error={loadError} onRetry={load} errorTestId="routing-error" text={t('routing.loading')} />
      </div>
    );
  }

  const update = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setDone(false);
  };
  const next = fromDraft(draft);
  const dirty = canonical(next) !== canonical(saved);
  leaveGuard.current = dirty;
  const check = validate(draft);
  const onlyAccounts = (r: Routing) => canonical({ accounts: r.accounts, custom: [], teams: [], default_team: null });
  const accountsDirty = onlyAccounts(next) !== onlyAccounts(saved);
  const isBad = (key: number, field: string) => showProblems && check.bad.has(`${key}:${field}`);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy || !draft) return;
    if (check.problems.length) {
      setShowProblems(true);
      setError(check.problems.length > 3 ? t('routing.andMore', { problems: check.problems.slice(0, 3).join(' '), count: check.problems.length - 3 }) : check.problems.join(' '));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      replace(await store.saveRouting(next));
      setShowProblems(false);
      setDone(true);
    } catch (err) {
      setError(saveErrorText(err));
    } finally {
      setBusy(false);
    }
  }

  /** After a CSV import: the server's account rules replace the draft's; other unsaved edits stay. */
  async function reloadAccounts(): Promise<void> {
    const r = await store.loadRouting();
    setSaved(r);
    setDraft((d) => (d ? { ...d, accounts: toAccounts(r) } : toDraft(r)));
  }

  return (
    <form class="settings-form routing" onSubmit={submit} noValidate data-testid="routing-page" data-state="ready">
      <RoutingHead />
      <RoutingOrder draft={draft} />

      <TeamsCard draft={draft} agents={agents} agentsLoading={!team && !state.teamError} agentsError={state.teamError} update={update} isBad={isBad} meId={state.me?.id} onRetryAgents={() => store.loadTeam()} />

      <AccountsCard draft={draft} agents={agents} update={update} isBad={isBad} store={store} accountsDirty={accountsDirty} onImported={reloadAccounts} />

      <RulesCard draft={draft} agents={agents} update={update} isBad={isBad} />

      <SettingsFooter
        id="routing"
        error={error}
        saved={!!done}
        savedText={t('routing.saved')}
        dirty={dirty}
        busy={busy}
        onDiscard={() => {
          setDraft(toDraft(saved));
          setError(null);
          setShowProblems(false);
        }}
        saveLabel={t('routing.save')}
      >
        {dirty && !error && !done && (
          <span class="unsaved muted" data-testid="routing-unsaved">
            {t('routing.unsaved')}
          </span>
        )}
      </SettingsFooter>
    </form>
  );
}

function RoutingHead() {
  return (
    <header class="settings-head">
      <div>
        <h2>{t('routing.title')}</h2>
        <p class="muted">{t('routing.sub')}</p>
      </div>
    </header>
  );
}

function RoutingOrder({ draft }: { draft: Draft }) {
  const defaultName = draft.teams.find((t) => t.key === draft.defaultTeam)?.name.trim();
  const steps = [
    { title: t('routing.accounts'), sub: draft.accounts.length ? t('routing.orderAccounts', { count: draft.accounts.length }) : t('routing.noneYet') },
    { title: t('routing.rules'), sub: draft.rules.length ? t('routing.orderRules', { count: draft.rules.length }) : t('routing.noneYet') },
    { title: t('routing.defaultTeam'), sub: defaultName ? t('routing.orderDefault', { name: defaultName }) : t('routing.notSet') },
    { title: t('routing.everyone'), sub: t('routing.roundRobin') },
  ];
  return (
    <section class="card routing-order" data-testid="routing-order" aria-label={t('routing.orderLabel')}>
      <ol class="order-steps">
        {steps.map((s, i) => (
          <li key={s.title} class="order-step">
            <span class="order-num">{i + 1}</span>
            <span class="order-text">
              <strong>{s.title}</strong>
              <small class="muted">{s.sub}</small>
            </span>
            {i < steps.length - 1 && (
              <span class="order-arrow" aria-hidden="true">
                →
              </span>
            )}
          </li>
        ))}
      </ol>
      <p class="muted small order-note">{t('routing.orderNote')}</p>
    </section>
  );
}

// ---- shared bits ------------------------------------------------------------------------------

type IsBad = (key: number, field: string) => boolean;

function agentLabel(a: Agent): string {
  return `${a.name} · ${a.email}`;
}

/** Options for an agent select: every agent, plus an id the list does not know (kept, marked). */
function AgentOptions({ agents, current, prefix = '' }: { agents: Agent[]; current: string; prefix?: string }) {
  const known = !current || agents.some((a) => String(a.id) === current);
  return (
    <>
      {!known && <option value={prefix + current}>{t('routing.agentNotFound', { id: current })}</option>}
      {agents.map((a) => (
        <option key={a.id} value={prefix + String(a.id)}>
          {agentLabel(a)}
        </option>
      ))}
    </>
  );
}

const val = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;

// ---- teams ------------------------------------------------------------------------------------

function TeamsCard(props: {
  draft: Draft;
  agents: Agent[];
  agentsLoading: boolean;
  agentsError: string | null;
  update: (p: Partial<Draft>) => void;
  isBad: IsBad;
  meId?: number;
  onRetryAgents: () => void;
}) {
  const { draft, agents, update, isBad } = props;
  const setTeam = (key: number, patch: Partial<DTeam>) => update({ teams: draft.teams.map((t) => (t.key === key ? { ...t, ...patch } : t)) });
  const toggleMember = (t: DTeam, id: number, on: boolean) => setTeam(t.key, { members: on ? [...t.members.filter((m) => m !== id), id] : t.members.filter((m) => m !== id) });
  const removeTeam = (key: number) =>
    update({
      teams: draft.teams.filter((t) => t.key !== key),
      defaultTeam: draft.defaultTeam === key ? null : draft.defaultTeam,
      rules: draft.rules.map((r) => (r.target === `team:${key}` ? { ...r, target: '' } : r)),
    });
  const addTeam = () => update({ teams: [...draft.teams, { key: nextKey(), name: '', members: [] }] });
  const usedBy = (key: number) => draft.rules.filter((r) => r.target === `team:${key}`).length;
  const unknownMembers = (t: DTeam) => t.members.filter((id) => !agents.some((a) => a.id === id));

  return (
    <section class="card" data-testid="routing-teams">
      <div class="card-head">
        <div>
          <h3>{t('routing.teams')}</h3>
          <p class="muted small">{t('routing.teamsSub')}</p>
        </div>
        <button type="button" class="btn btn-sm" onClick={addTeam} data-testid="routing-add-team">
          {t('routing.addTeam')}
        </button>
      </div>

      {props.agentsError && (
        <p class="form-error" data-testid="routing-agents-error">
          {t('routing.agentsError', { error: props.agentsError })}{' '}
          <button type="button" class="link-btn" onClick={props.onRetryAgents}>
            {t('routing.tryAgain')}
          </button>
        </p>
      )}
      {props.agentsLoading && <p class="muted small">{t('routing.loadingAgents')}</p>}

      {!draft.teams.length && <p class="empty-note muted">{t('routing.noTeams')}</p>}
      <div class="team-list">
        {draft.teams.map((t, i) => {
          const used = usedBy(t.key);
          return (
            <div class="team-edit" key={t.key} data-testid="routing-team" data-team-name={t.name.trim()}>
              <div class="team-edit-head">
                <input
                  class="text-input team-name-input"
                  value={t.name}
                  placeholder={tr(i % 2 ? 'routing.teamNameSupport' : 'routing.teamNameSales')}
                  aria-label={tr('routing.teamName')}
                  aria-invalid={isBad(t.key, 'name') ? 'true' : 'false'}
                  maxLength={200}
                  onInput={(e) => setTeam(t.key, { name: val(e) })}
                  data-testid="routing-team-name"
                />
                <span class="muted small">
                  {tr('routing.members', { count: t.members.length })}
                  {draft.defaultTeam === t.key && <span class="role-tag tag-accent">{tr('routing.default')}</span>}
                  {used > 0 && ` · ${tr('routing.usedBy', { count: used })}`}
                </span>
                <button
                  type="button"
                  class="icon-btn"
                  aria-label={tr('routing.removeTeam', { name: t.name.trim() || i + 1 })}
                  title={used ? tr('routing.removeUsed') : tr('routing.remove')}
                  onClick={() => removeTeam(t.key)}
                  data-testid="routing-team-remove"
                >
                  ×
                </button>
              </div>
              <div class="member-chips" role="group" aria-label={t.name.trim() ? tr('routing.membersOf', { name: t.name.trim() }) : tr('routing.membersOfThis')}>
                {agents.map((a) => {
                  const on = t.members.includes(a.id);
                  const live = effectiveStatus(a).available;
                  return (
                    <label class={`chip ${on ? 'is-on' : ''}`} key={a.id} title={a.email}>
                      <input type="checkbox" checked={on} onChange={(e) => toggleMember(t, a.id, (e.target as HTMLInputElement).checked)} data-testid="routing-team-member" data-agent-id={a.id} />
                      <span class={`avatar avatar-xs ${live ? 'avatar-live' : ''}`}>{a.initials || initials(a.name)}</span>
                      <span>{a.name}</span>
                      {a.id === props.meId && <span class="muted small">{tr('routing.you')}</span>}
                    </label>
                  );
                })}
                {unknownMembers(t).map((id) => (
                  <label class="chip is-on" key={`x${id}`}>
                    <input type="checkbox" checked onChange={() => toggleMember(t, id, false)} />
                    <span>{tr('routing.agentNotFound', { id })}</span>
                  </label>
                ))}
              </div>
            </div>
          );
        })}
      </div>

      <div class="default-team">
        <label class="field field-inline">
          <span>{t('routing.defaultTeam')}</span>
          <select
            class="select"
            value={draft.defaultTeam == null ? '' : String(draft.defaultTeam)}
            onChange={(e) => update({ defaultTeam: val(e) ? Number(val(e)) : null })}
            data-testid="routing-default-team"
          >
            <option value="">{t('routing.noDefault')}</option>
            {draft.teams.map((t, i) => (
              <option key={t.key} value={String(t.key)}>
                {t.name.trim() || tr('routing.unnamedTeam', { n: i + 1 })}
              </option>
            ))}
          </select>
          <small class="muted">{t('routing.defaultHelp')}</small>
        </label>
      </div>
    </section>
  );
}

// ---- account rules ----------------------------------------------------------------------------

function AccountsCard(props: {
  draft: Draft;
  agents: Agent[];
  update: (p: Partial<Draft>) => void;
  isBad: IsBad;
  store: Store;
  accountsDirty: boolean;
  onImported: () => Promise<void>;
}) {
  const { draft, agents, update, isBad } = props;
  const [filter, setFilter] = useState('');
  const setAccount = (key: number, patch: Partial<DAccount>) => update({ accounts: draft.accounts.map((a) => (a.key === key ? { ...a, ...patch } : a)) });
  const addAccount = () => {
    setFilter('');
    update({ accounts: [...draft.accounts, { key: nextKey(), kind: 'domain', value: '', agent: agents.length === 1 ? String(agents[0].id) : '' }] });
  };
  const q = filter.trim().toLowerCase();
  const agentName = (id: string) => agents.find((a) => String(a.id) === id)?.name ?? '';
  const shown = q ? draft.accounts.filter((a) => !a.value.trim() || a.value.toLowerCase().includes(q) || agentName(a.agent).toLowerCase().includes(q)) : draft.accounts;

  return (
    <section class="card card-flush" data-testid="routing-accounts">
      <div class="card-head card-pad">
        <div>
          <h3>
            {t('routing.accounts')} <span class="count-pill" data-testid="account-count">{draft.accounts.length}</span>
          </h3>
          <p class="muted small">{t('routing.accountsSub')}</p>
        </div>
        <button type="button" class="btn btn-sm" onClick={addAccount} data-testid="add-account">
          {t('routing.addAccount')}
        </button>
      </div>

      {draft.accounts.length > FILTER_FROM && (
        <div class="card-pad table-tools">
          <input class="text-input" type="search" placeholder={t('routing.filter')} value={filter} onInput={(e) => setFilter(val(e))} aria-label={t('routing.filterLabel')} data-testid="account-filter" />
          {q && (
            <span class="muted small">
              {t('routing.shownOf', { shown: shown.length, total: draft.accounts.length })}
            </span>
          )}
        </div>
      )}

      {draft.accounts.length ? (
        <table class="team-table rules-table" data-testid="account-table">
          <thead>
            <tr>
              <th scope="col" class="col-kind">
                {t('routing.matchOn')}
              </th>
              <th scope="col">{t('routing.value')}</th>
              <th scope="col" class="col-agent">
                {t('routing.agent')}
              </th>
              <th scope="col" class="col-x">
                <span class="sr-only">{t('routing.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((a) => (
              <tr key={a.key} data-testid="account-row" data-kind={a.kind} data-value={a.value.trim().toLowerCase()} data-agent-id={a.agent}>
                <td>
                  <select class="select select-cell" value={a.kind} onChange={(e) => setAccount(a.key, { kind: val(e) as AccountKind })} aria-label={t('routing.matchOn')} data-testid="account-kind">
                    {KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`routing.attr.${k}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    class="text-input"
                    value={a.value}
                    placeholder={kindPlaceholder(a.kind)}
                    aria-label={t(`routing.attr.${a.kind}`)}
                    aria-invalid={isBad(a.key, 'value') ? 'true' : 'false'}
                    onInput={(e) => setAccount(a.key, { value: val(e) })}
                    data-testid="account-value"
                  />
                </td>
                <td>
                  <select
                    class="select select-cell"
                    value={a.agent}
                    onChange={(e) => setAccount(a.key, { agent: val(e) })}
                    aria-label={t('routing.agent')}
                    aria-invalid={isBad(a.key, 'agent') ? 'true' : 'false'}
                    data-testid="account-agent"
                  >
                    <option value="" disabled>
                      {t('routing.chooseAgent')}
                    </option>
                    <AgentOptions agents={agents} current={a.agent} />
                  </select>
                </td>
                <td class="col-x">
                  <button
                    type="button"
                    class="icon-btn"
                    aria-label={a.value.trim() ? t('routing.removeAccount', { value: a.value.trim() }) : t('routing.removeThisAccount')}
                    title={t('routing.remove')}
                    onClick={() => update({ accounts: draft.accounts.filter((x) => x.key !== a.key) })}
                    data-testid="account-remove"
                  >
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="empty-note muted card-pad" data-testid="account-empty">
          {t('routing.noAccounts')}
        </p>
      )}

      <CsvImport store={props.store} accountsDirty={props.accountsDirty} onImported={props.onImported} />
    </section>
  );
}

function CsvImport({ store, accountsDirty, onImported }: { store: Store; accountsDirty: boolean; onImported: () => Promise<void> }) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  async function pick(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    setResult(null);
    setError(null);
    if (!file) return;
    if (file.size > MAX_BODY_BYTES) {
      setError(t('routing.fileTooLarge', { file: file.name, size: kib(file.size), max: kib(MAX_BODY_BYTES) }));
      input.value = '';
      return;
    }
    try {
      setText(await file.text());
      setFileName(file.name);
    } catch {
      setError(t('routing.fileUnreadable', { file: file.name }));
    }
  }

  async function submit() {
    if (busy) return;
    // A byte-order mark (as spreadsheet apps write it) would make the server misread line 1.
    const csv = text.replace(/^\uFEFF/, '');
    setResult(null);
    setError(null);
    if (!csv.trim()) {
      setError(t('routing.csvEmpty'));
      return;
    }
    if (bytes(csv) > MAX_BODY_BYTES) {
      setError(t('routing.csvTooLarge', { size: kib(bytes(csv)), max: kib(MAX_BODY_BYTES) }));
      return;
    }
    setBusy(true);
    try {
      const n = await store.importAccountsCsv(csv);
      setText('');
      setFileName(null);
      if (fileRef.current) fileRef.current.value = '';
      setResult(t('routing.imported', { count: n }));
      try {
        await onImported();
      } catch (e) {
        setError(t('routing.importedNoReload', { error: errorText(e) }));
      }
    } catch (e) {
      setError(e instanceof ApiError && e.status === 413 ? t('routing.importTooLarge', { max: kib(MAX_BODY_BYTES) }) : t('routing.nothingImported', { error: errorText(e) }));
    } finally {
      setBusy(false);
    }
  }

  const lines = text.split(/\r?\n/).filter((l) => l.trim()).length;
  return (
    <div class="csv-import card-pad" data-testid="csv-import">
      <h4>{t('routing.csvTitle')}</h4>
      <p class="muted small">
        {t('routing.csvFormat')} <code>kind,value,agent_email</code> — {t('routing.csvForExample')} <code>domain,acme.com,sam@yourcompany.com</code> {t('routing.csvOr')} <code>company,"Acme, Inc.",sam@yourcompany.com</code>. {t('routing.csvRules')}
      </p>
      <div class="csv-row">
        <label class="btn btn-sm file-btn">
          {t('routing.chooseFile')}
          <input ref={fileRef} type="file" accept=".csv,text/csv,text/plain" onChange={pick} data-testid="csv-file" />
        </label>
        <span class="muted small">{fileName ? t('routing.fileChosen', { file: fileName }) : t('routing.orPaste')}</span>
      </div>
      <textarea
        class="textarea csv-text"
        rows={4}
        spellcheck={false}
        placeholder={'kind,value,agent_email\ndomain,acme.com,sam@yourcompany.com'}
        value={text}
        onInput={(e) => {
          setText(val(e));
          setResult(null);
        }}
        aria-label={t('routing.csvLines')}
        data-testid="csv-text"
      />
      <div class="csv-row">
        <button type="button" class="btn btn-sm btn-primary" disabled={busy || !text.trim()} onClick={submit} data-testid="csv-import-submit">
          {busy ? t('routing.importing') : lines ? t('routing.importLines', { count: lines }) : t('routing.import')}
        </button>
        {accountsDirty && !result && !error && <span class="muted small">{t('routing.importReplaces')}</span>}
        {result && (
          <span class="saved" role="status" data-testid="csv-result">
            ✓ {result}
          </span>
        )}
        {error && (
          <p class="form-error" role="alert" data-testid="csv-error">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}

// ---- custom rules -----------------------------------------------------------------------------

function RulesCard({ draft, agents, update, isBad }: { draft: Draft; agents: Agent[]; update: (p: Partial<Draft>) => void; isBad: IsBad }) {
  const setRule = (key: number, patch: Partial<DRule>) => update({ rules: draft.rules.map((r) => (r.key === key ? { ...r, ...patch } : r)) });
  const setCondition = (r: DRule, key: number, patch: Partial<DCondition>) => setRule(r.key, { conditions: r.conditions.map((c) => (c.key === key ? { ...c, ...patch } : c)) });
  const newCondition = (): DCondition => ({ key: nextKey(), attribute: 'email', op: 'contains', value: '' });
  const addRule = () => {
    const priorities = draft.rules.map((r) => Number(r.priority)).filter((n) => Number.isInteger(n));
    const priority = priorities.length ? Math.max(...priorities) + 10 : 10;
    update({ rules: [...draft.rules, { key: nextKey(), priority: String(Math.min(priority, MAX_PRIORITY)), conditions: [newCondition()], target: '' }] });
  };

  return (
    <section class="card" data-testid="routing-rules">
      <div class="card-head">
        <div>
          <h3>{t('routing.rules')}</h3>
          <p class="muted small">{t('routing.rulesSub')}</p>
        </div>
        <button type="button" class="btn btn-sm" onClick={addRule} data-testid="add-rule">
          {t('routing.addRule')}
        </button>
      </div>
      {!draft.rules.length && <p class="empty-note muted">{t('routing.noRules')}</p>}
      <div class="rule-list">
        {draft.rules.map((r, i) => (
          <div class="rule" key={r.key} data-testid="custom-rule" data-priority={r.priority.trim()} data-target={r.target.startsWith('team:') ? `team:${draft.teams.find((t) => `team:${t.key}` === r.target)?.name.trim() ?? ''}` : r.target}>
            <div class="rule-head">
              <span class="rule-num">{t('routing.ruleNum', { n: i + 1 })}</span>
              <label class="rule-priority">
                <span class="muted small">{t('routing.priority')}</span>
                <input
                  class="text-input num-input"
                  inputMode="numeric"
                  value={r.priority}
                  aria-invalid={isBad(r.key, 'priority') ? 'true' : 'false'}
                  onInput={(e) => setRule(r.key, { priority: val(e) })}
                  data-testid="rule-priority"
                />
              </label>
              <button type="button" class="icon-btn rule-remove" aria-label={t('routing.removeRule', { n: i + 1 })} title={t('routing.removeRuleTitle')} onClick={() => update({ rules: draft.rules.filter((x) => x.key !== r.key) })} data-testid="rule-remove">
                ×
              </button>
            </div>
            <div class={`conditions ${isBad(r.key, 'conditions') ? 'is-bad' : ''}`}>
              {r.conditions.map((c, j) => (
                <div class="condition" key={c.key} data-testid="rule-condition">
                  <span class="cond-word muted">{j === 0 ? t('routing.if') : t('routing.and')}</span>
                  <select class="select select-cell" value={c.attribute} onChange={(e) => setCondition(r, c.key, { attribute: val(e) as RuleAttribute })} aria-label={t('routing.attribute')} data-testid="condition-attribute">
                    {ATTRIBUTES.map((a) => (
                      <option key={a} value={a}>
                        {t(`routing.attr.${a}`)}
                      </option>
                    ))}
                  </select>
                  <select class="select select-cell" value={c.op} onChange={(e) => setCondition(r, c.key, { op: val(e) as RuleOp })} aria-label={t('routing.operator')} data-testid="condition-op">
                    {OPS.map((o) => (
                      <option key={o} value={o}>
                        {t(`routing.op.${o}`)}
                      </option>
                    ))}
                  </select>
                  <input
                    class="text-input"
                    value={c.value}
                    placeholder={t('routing.valuePlaceholder')}
                    aria-label={t('routing.value')}
                    aria-invalid={isBad(c.key, 'value') ? 'true' : 'false'}
                    onInput={(e) => setCondition(r, c.key, { value: val(e) })}
                    data-testid="condition-value"
                  />
                  <button
                    type="button"
                    class="icon-btn"
                    aria-label={t('routing.removeCondition')}
                    title={t('routing.removeConditionTitle')}
                    onClick={() => setRule(r.key, { conditions: r.conditions.filter((x) => x.key !== c.key) })}
                    data-testid="condition-remove"
                  >
                    ×
                  </button>
                </div>
              ))}
              <button type="button" class="link-btn small add-condition" onClick={() => setRule(r.key, { conditions: [...r.conditions, newCondition()] })} data-testid="add-condition">
                {t('routing.addCondition')}
              </button>
            </div>
            <div class="rule-target">
              <span class="cond-word muted">{t('routing.thenOffer')}</span>
              <select
                class="select"
                value={r.target}
                onChange={(e) => setRule(r.key, { target: val(e) })}
                aria-label={t('routing.sendTo')}
                aria-invalid={isBad(r.key, 'target') ? 'true' : 'false'}
                data-testid="rule-target"
              >
                <option value="" disabled>
                  {t('routing.chooseTarget')}
                </option>
                {draft.teams.length > 0 && (
                  <optgroup label={t('routing.teamsGroup')}>
                    {draft.teams.map((team, k) => (
                      <option key={team.key} value={`team:${team.key}`}>
                        {t('routing.teamOption', { name: team.name.trim() || t('routing.unnamedTeam', { n: k + 1 }) })}
                      </option>
                    ))}
                  </optgroup>
                )}
                <optgroup label={t('routing.agents')}>
                  <AgentOptions agents={agents} current={r.target.startsWith('agent:') ? r.target.slice(6) : ''} prefix="agent:" />
                </optgroup>
              </select>
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
