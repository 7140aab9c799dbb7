// The visitor's reasonable hours for meeting slots (admin settings visitor_day_start / _end):
// the widget offers a visitor only slots that start and end inside these hours of the
// visitor's own day, in the visitor's own zone (docs/missed-chats.md). Two HH:MM fields like
// the schedule editor's; the server takes any minute, "24:00" as an end.
import { t } from '../i18n';
import { END_RE, normalizeTime, START_RE } from './Schedule';

export interface HoursDraft {
  visitor_day_start: string;
  visitor_day_end: string;
}

/** What is wrong with the hours as typed (a sentence to show), or null. */
export function visitorHoursProblem(h: HoursDraft): string | null {
  const start = normalizeTime(h.visitor_day_start);
  const end = normalizeTime(h.visitor_day_end);
  if (!START_RE.test(start) || !END_RE.test(end)) return t('ws.visitorHoursInvalid');
  if (start >= end) return t('ws.visitorHoursOrder');
  return null;
}

export function VisitorHoursField({ value, onValue }: { value: HoursDraft; onValue: (patch: Partial<HoursDraft>) => void }) {
  const startBad = !START_RE.test(normalizeTime(value.visitor_day_start));
  const endBad = !END_RE.test(normalizeTime(value.visitor_day_end));
  const order = !startBad && !endBad && normalizeTime(value.visitor_day_start) >= normalizeTime(value.visitor_day_end);
  const field = (key: keyof HoursDraft, label: string, bad: boolean, testid: string) => (
    <label class="visitor-hours-part">
      <span>{label}</span>
      <input
        class="time-input"
        value={value[key]}
        inputMode="numeric"
        maxLength={5}
        placeholder="HH:MM"
        aria-invalid={bad ? 'true' : 'false'}
        aria-describedby="visitor-hours-help"
        onInput={(e) => onValue({ [key]: (e.target as HTMLInputElement).value })}
        onBlur={(e) => onValue({ [key]: normalizeTime((e.target as HTMLInputElement).value) })}
        data-testid={testid}
      />
    </label>
  );
  return (
    <fieldset class="field visitor-hours" data-testid="admin-visitor-hours">
      <legend>{t('ws.visitorHours')}</legend>
      <div class="visitor-hours-row">
        {field('visitor_day_start', t('ws.visitorHoursFrom'), startBad || order, 'admin-visitor-day-start')}
        {field('visitor_day_end', t('ws.visitorHoursTo'), endBad || order, 'admin-visitor-day-end')}
      </div>
      <small class="muted" id="visitor-hours-help">
        {t('ws.visitorHoursHelp')}
      </small>
    </fieldset>
  );
}
