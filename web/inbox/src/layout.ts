// The Inbox's two layouts: three columns side by side, or (narrow screens, phones) one pane at a
// time — conversation list, chat, visitor panel — with Back between them. The width is the one
// styles.css uses for `@media (max-width: 960px)`; keep the two in step.
export const ONE_PANE_QUERY = '(max-width: 960px)';

export function isOnePane(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(ONE_PANE_QUERY).matches;
}
