import { useState } from 'preact/hooks';
import type { Store } from '../store';
import type { AdminSettings } from '../types';
import { ApiError } from '../api';
import { errorText } from '../store';
import { useLeaveGuard, useServerDraft } from '../hooks';
import { LoadingCard } from './LoadState';
import { charsText, durationText } from '../format';
import { SettingsFooter } from './SettingsFooter';

interface Draft {
  accept_timeout_seconds: string;
  inactivity_timeout_seconds: string;
  max_offers: string;
  fallback_message: string;
}

const toDraft = (s: AdminSettings): Draft => ({
  accept_timeout_seconds: String(s.accept_timeout_seconds),
  inactivity_timeout_seconds: String(s.inactivity_timeout_seconds),
  max_offers: String(s.max_offers),
  fallback_message: s.fallback_message ?? '',
});

const bytes = (s: string) => new TextEncoder().encode(s).length;
/** The server's limit on the fallback message, in UTF-8 bytes. */
const FALLBACK_MAX_BYTES = 1000;

/** "120 characters (about 1,000 at most)", or how much too long it is. */
function fallbackText(text: string, used: number): string {
  const chars = [...text].length;
  if (used > FALLBACK_MAX_BYTES) return `${chars} characters: too long, ${charsText(FALLBACK_MAX_BYTES)} at most`;
  return `${chars} character${chars === 1 ? '' : 's'} (${charsText(FALLBACK_MAX_BYTES)} at most)`;
}
const num = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v) : NaN);

type NumberKey = 'accept_timeout_seconds' | 'max_offers' | 'inactivity_timeout_seconds';
interface NumberSpec {
  key: NumberKey;
  label: string;
  min: number;
  max: number;
  unit: 'seconds' | 'agents';
  testid: string;
  help: string;
}

/** The whole-number settings, in the order shown. */
const NUMBER_FIELDS: NumberSpec[] = [
  { key: 'accept_timeout_seconds', label: 'Accept timeout', min: 5, max: 3600, unit: 'seconds', testid: 'admin-accept-timeout', help: 'An agent has this long to press Accept before the request moves on.' },
  { key: 'max_offers', label: 'Offers per request', min: 1, max: 20, unit: 'agents', testid: 'admin-max-offers', help: 'After this many unanswered offers the visitor gets the fallback message.' },
  {
    key: 'inactivity_timeout_seconds',
    label: 'Inactivity timeout',
    min: 5,
    max: 86400,
    unit: 'seconds',
    testid: 'admin-inactivity-timeout',
    help: 'An active chat with no message from either side for this long is ended; both sides are told why.',
  },
];

/** Admins: accept window, inactivity end, number of offers, fallback message (GET/PUT /admin/settings). */
export function WorkspaceSettings({ store }: { store: Store }) {
  const { saved, draft, setDraft, replace, loadError, load } = useServerDraft(() => store.loadAdminSettings(), toDraft, 'Only admins can see these settings.');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const leaveGuard = useLeaveGuard(store);

  if (!draft || !saved) return <LoadingCard error={loadError} onRetry={load} errorTestId="admin-error" text="Loading…" />;

  const set = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setDone(false);
  };
  const accept = num(draft.accept_timeout_seconds);
  const inactivity = num(draft.inactivity_timeout_seconds);
  const offers = num(draft.max_offers);
  const fallbackBytes = bytes(draft.fallback_message.trim());
  const problems: string[] = [];
  if (!(accept >= 5 && accept <= 3600)) problems.push(`Accept timeout: ${durationText(5)} to ${durationText(3600)} (5 to 3600 seconds).`);
  if (!(inactivity >= 5 && inactivity <= 86400)) problems.push(`Inactivity timeout: ${durationText(5)} to 24 h (5 to 86400 seconds).`);
  if (!(offers >= 1 && offers <= 20)) problems.push('Offers: 1 to 20.');
  if (fallbackBytes < 1) problems.push('Fallback message: please write one.');
  else if (fallbackBytes > FALLBACK_MAX_BYTES) problems.push(`Fallback message: too long, ${charsText(FALLBACK_MAX_BYTES)} at most.`);
  const next: AdminSettings = {
    accept_timeout_seconds: accept,
    inactivity_timeout_seconds: inactivity,
    max_offers: offers,
    fallback_message: draft.fallback_message.trim(),
  };
  const dirty = JSON.stringify(toDraft(next)) !== JSON.stringify(toDraft(saved));
  leaveGuard.current = dirty;

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
      replace(await store.saveAdminSettings(next));
      setDone(true);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 403 ? 'Only admins can change these settings.' : `Not saved: ${errorText(err)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="settings-form" onSubmit={submit} noValidate data-testid="admin-settings-form">
      <header class="settings-head">
        <div>
          <h2>Chat routing</h2>
          <p class="muted">For the whole team: how long a request waits for each agent, and when a quiet chat ends.</p>
        </div>
      </header>
      <section class="card">
        <div class="settings-grid">
          {NUMBER_FIELDS.map((f) => (
            <NumberField key={f.key} spec={f} value={draft[f.key]} onValue={(v) => set({ [f.key]: v })} />
          ))}
        </div>
      </section>
      <section class="card">
        <label class="field">
          <span>Fallback message</span>
          <textarea
            class="textarea"
            rows={3}
            value={draft.fallback_message}
            onInput={(e) => set({ fallback_message: (e.target as HTMLTextAreaElement).value })}
            data-testid="admin-fallback"
          />
          <small class={`muted counter ${fallbackBytes > FALLBACK_MAX_BYTES ? 'is-over' : ''}`} data-testid="admin-fallback-count">
            {fallbackText(draft.fallback_message.trim(), fallbackBytes)} · shown to the visitor when nobody is available or nobody accepts in time
          </small>
        </label>
      </section>
      <SettingsFooter id="admin" error={error} saved={!!done} dirty={dirty} busy={busy} onDiscard={() => setDraft(toDraft(saved))} saveLabel="Save" />
    </form>
  );
}

/** One whole-number setting with its unit (seconds also as a readable span) and a line of help. */
function NumberField({ spec, value, onValue }: { spec: NumberSpec; value: string; onValue: (value: string) => void }) {
  const v = num(value);
  return (
    <label class="field field-inline">
      <span>{spec.label}</span>
      <div class="input-unit">
        <input type="number" min={spec.min} max={spec.max} value={value} onInput={(e) => onValue((e.target as HTMLInputElement).value)} data-testid={spec.testid} />
        <span>{spec.unit}</span>
        {spec.unit === 'seconds' && <small class="muted" data-testid={`${spec.testid}-span`}>{Number.isFinite(v) && v > 0 ? `= ${durationText(v)}` : ''}</small>}
      </div>
      <small class="muted">{spec.help}</small>
    </label>
  );
}
