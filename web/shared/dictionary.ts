// A tiny translator for the widget, which is loaded on every customer page and so stays small
// (i18next would add about 40 kB to a 63 kB script). Same message format as the Inbox's
// i18next texts, so one key check covers both (e2e/i18n_keys.test.mjs): "{{name}}" placeholders
// and plural keys "key_one" / "key_other" chosen by `count` through Intl.PluralRules.

export type Messages = Record<string, string>;

export class Dictionary {
  private plural: Intl.PluralRules;

  constructor(
    private readonly messages: Messages,
    private readonly fallback: Messages,
    readonly language: string,
  ) {
    this.plural = new Intl.PluralRules(language);
  }

  /** The text of `key` with its placeholders filled; the key itself if no language has it. */
  t(key: string, values: Record<string, string | number> = {}): string {
    let k = key;
    if (typeof values.count === 'number') {
      const form = `${key}_${this.plural.select(values.count)}`;
      k = form in this.messages || form in this.fallback ? form : `${key}_other`;
    }
    const text = this.messages[k] ?? this.fallback[k] ?? key;
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
      name in values ? String(values[name]) : whole,
    );
  }
}
