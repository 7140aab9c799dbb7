import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { errorText } from '../store';
import { t } from '../i18n';

/** The texts of the people import (keys in locales/*.json). */
const TEXT = {
  get title() {
    return t('peopleImport.title');
  },
  get hint() {
    return t('peopleImport.hint');
  },
  get choose() {
    return t('peopleImport.choose');
  },
  get importing() {
    return t('peopleImport.importing');
  },
  done: (imported: number, created: number, updated: number) => t('peopleImport.done', { count: imported, created, updated }),
  rejected: (n: number) => t('peopleImport.rejected', { count: n }),
  line: (line: number, message: string) => t('peopleImport.line', { line, message }),
};

interface RowError {
  line: number;
  message: string;
}

/** Admins: people for the CRM from a CSV file, with what happened to each row. */
export function PeopleImport() {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<RowError[]>([]);

  async function upload(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = ''; // the same file can be chosen again after a fix
    if (!file || busy) return;
    setBusy(true);
    setResult(null);
    setError(null);
    setRows([]);
    try {
      const res = await api.importPeopleCsv(await file.text());
      setResult(TEXT.done(res.imported, res.created, res.updated));
    } catch (e) {
      const bad = e instanceof ApiError && Array.isArray(e.data?.rows) ? (e.data!.rows as RowError[]) : [];
      setRows(bad);
      setError(bad.length ? TEXT.rejected(bad.length) : errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" data-testid="people-import">
      <h3>{TEXT.title}</h3>
      <p class="muted small">{TEXT.hint}</p>
      <div class="csv-row">
        <label class={`btn btn-sm file-btn ${busy ? 'is-disabled' : ''}`}>
          {busy ? TEXT.importing : TEXT.choose}
          <input type="file" accept=".csv,text/csv" disabled={busy} onChange={(e) => void upload(e.target as HTMLInputElement)} data-testid="people-import-file" />
        </label>
      </div>
      {result && (
        <p class="muted" role="status" data-testid="people-import-result">
          {result}
        </p>
      )}
      {error && (
        <div class="form-error" role="alert" data-testid="people-import-error">
          <p>{error}</p>
          {rows.length > 0 && (
            <ul class="import-rows" data-testid="people-import-rows">
              {rows.map((r) => (
                <li key={r.line}>{TEXT.line(r.line, r.message)}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
