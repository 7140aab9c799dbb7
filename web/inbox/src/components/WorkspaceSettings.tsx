import { useState } from 'preact/hooks';
import type { Store } from '../store';
import type { AdminSettings } from '../types';

/** The fields this card edits (the others, e.g. fetch_allowed_hosts, have cards of their own). */
type EditedSettings = Pick<AdminSettings, 'accept_timeout_seconds' | 'inactivity_timeout_seconds' | 'max_offers' | 'fallback_message' | 'visitor_day_start' | 'visitor_day_end'>;
import { ApiError } from '../api';
import { errorText } from '../store';
import { useLeaveGuard, useServerDraft } from '../hooks';
import { LoadingCard } from './LoadState';
import { charsText, durationText } from '../format';
import { SettingsFooter } from './SettingsFooter';
import { t } from '../i18n';
import { VisitorHoursField, visitorHoursProblem, type HoursDraft } from './VisitorHours';
import { normalizeTime } from './Schedule';

interface Draft extends HoursDraft {
  accept_timeout_seconds: string;
  inactivity_timeout_seconds: string;
  max_offers: string;
  fallback_message: string;
}

const toDraft = (s: EditedSettings): Draft => ({
  accept_timeout_seconds: String(s.accept_timeout_seconds),
  inactivity_timeout_seconds: String(s.inactivity_timeout_seconds),
  max_offers: String(s.max_offers),
  fallback_message: s.fallback_message ?? '',
  visitor_day_start: s.visitor_day_start ?? '08:00',
  visitor_day_end: s.visitor_day_end ?? '20:00',
});

const bytes = (s: string) => new TextEncoder().encode(s).length;
/** The server's limit on the fallback message, in UTF-8 bytes. */
const FALLBACK_MAX_BYTES = 1000;

/** "120 characters (about 1,000 at most)", or how much too long it is. */
function fallbackText(text: string, used: number): string {
  const chars = [...text].length;
  if (used > FALLBACK_MAX_BYTES) return t('ws.charsTooLong', { count: chars, limit: charsText(FALLBACK_MAX_BYTES) });
  return t('ws.chars', { count: chars, limit: charsText(FALLBACK_MAX_BYTES) });
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
  // label and help are text keys; the unit's text is unit.<unit>.
  { key: 'accept_timeout_seconds', label: 'ws.accept', min: 5, max: 3600, unit: 'seconds', testid: 'admin-accept-timeout', help: 'ws.acceptHelp' },
  { key: 'max_offers', label: 'ws.offers', min: 1, max: 20, unit: 'agents', testid: 'admin-max-offers', help: 'ws.offersHelp' },
  { key: 'inactivity_timeout_seconds', label: 'ws.inactivity', min: 5, max: 86400, unit: 'seconds', testid: 'admin-inactivity-timeout', help: 'ws.inactivityHelp' },
];

/** Admins: accept window, inactivity end, number of offers, fallback message (GET/PUT /admin/settings). */
export function WorkspaceSettings({ store }: { store: Store }) {
  const { saved, draft, setDraft, replace, loadError, load } = useServerDraft(() => store.loadAdminSettings(), toDraft, t('ws.adminsOnlySee'));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const leaveGuard = useLeaveGuard(store);

  if (!draft || !saved) return <LoadingCard error={loadError} onRetry={load} errorTestId="admin-error" text={t('ws.loading')} />;

  const set = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setDone(false);
  };
  const accept = num(draft.accept_timeout_seconds);
  const inactivity = num(draft.inactivity_timeout_seconds);
  const offers = num(draft.max_offers);
  const fallbackBytes = bytes(draft.fallback_message.trim());
  const problems: string[] = [];
  if (!(accept >= 5 && accept <= 3600)) problems.push(t('ws.acceptRange', { min: durationText(5), max: durationText(3600) }));
  if (!(inactivity >= 5 && inactivity <= 86400)) problems.push(t('ws.inactivityRange', { min: durationText(5) }));
  if (!(offers >= 1 && offers <= 20)) problems.push(t('ws.offersRange'));
  if (fallbackBytes < 1) problems.push(t('ws.fallbackEmpty'));
  else if (fallbackBytes > FALLBACK_MAX_BYTES) problems.push(t('ws.fallbackTooLong', { limit: charsText(FALLBACK_MAX_BYTES) }));
  const hoursProblem = visitorHoursProblem(draft);
  if (hoursProblem) problems.push(hoursProblem);
  const next: EditedSettings = {
    accept_timeout_seconds: accept,
    inactivity_timeout_seconds: inactivity,
    max_offers: offers,
    fallback_message: draft.fallback_message.trim(),
    visitor_day_start: normalizeTime(draft.visitor_day_start),
    visitor_day_end: normalizeTime(draft.visitor_day_end),
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
      setError(err instanceof ApiError && err.status === 403 ? t('ws.adminsOnlyChange') : t('cal.notSaved', { error: errorText(err) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="settings-form" onSubmit={submit} noValidate data-testid="admin-settings-form">
      <header class="settings-head">
        <div>
          <h2>{t('ws.title')}</h2>
          <p class="muted">{t('ws.sub')}</p>
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
        <VisitorHoursField value={draft} onValue={set} />
      </section>
      <section class="card">
        <label class="field">
          <span>{t('ws.fallback')}</span>
          <textarea
            class="textarea"
            rows={3}
            value={draft.fallback_message}
            onInput={(e) => set({ fallback_message: (e.target as HTMLTextAreaElement).value })}
            data-testid="admin-fallback"
          />
          <small class={`muted counter ${fallbackBytes > FALLBACK_MAX_BYTES ? 'is-over' : ''}`} data-testid="admin-fallback-count">
            {fallbackText(draft.fallback_message.trim(), fallbackBytes)}
            {t('ws.fallbackShown')}
          </small>
        </label>
      </section>
      <SettingsFooter id="admin" error={error} saved={!!done} dirty={dirty} busy={busy} onDiscard={() => setDraft(toDraft(saved))} saveLabel={t('common.save')} />
    </form>
  );
}

/** One whole-number setting with its unit (seconds also as a readable span) and a line of help. */
function NumberField({ spec, value, onValue }: { spec: NumberSpec; value: string; onValue: (value: string) => void }) {
  const v = num(value);
  return (
    <label class="field field-inline">
      <span>{t(spec.label)}</span>
      <div class="input-unit">
        <input type="number" min={spec.min} max={spec.max} value={value} onInput={(e) => onValue((e.target as HTMLInputElement).value)} data-testid={spec.testid} />
        <span>{t(`unit.${spec.unit}`)}</span>
        {spec.unit === 'seconds' && <small class="muted" data-testid={`${spec.testid}-span`}>{Number.isFinite(v) && v > 0 ? `= ${durationText(v)}` : ''}</small>}
      </div>
      <small class="muted">{t(spec.help)}</small>
    </label>
  );
}
