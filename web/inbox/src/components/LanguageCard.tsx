// The agent's language (Settings → My availability): Svenska, English, or the browser's.
// Saved with the other settings; the Inbox switches as soon as it is saved (App.tsx).
import { browserLanguage } from '../../../shared/language';
import { t } from '../i18n';
import type { AgentSettings } from '../types';

export function LanguageCard({ value, onChange }: { value: AgentSettings['language']; onChange: (language: AgentSettings['language']) => void }) {
  const auto = t(`language.${browserLanguage()}`);
  return (
    <section class="card">
      <h3 id="language-heading">{t('language.label')}</h3>
      <p class="muted small">{t('language.hint')}</p>
      <select aria-labelledby="language-heading" value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value as AgentSettings['language'])} data-testid="settings-language">
        <option value="">{t('language.auto', { language: auto })}</option>
        <option value="sv" lang="sv">
          {t('language.sv')}
        </option>
        <option value="en" lang="en">
          {t('language.en')}
        </option>
      </select>
    </section>
  );
}
