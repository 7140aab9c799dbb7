// All widget CSS. It lives inside the shadow root, so it neither leaks into nor inherits
// from the host page (`:host { all: initial }` resets inherited properties too).
export const css = (accent: string) => `
:host { all: initial; }
* { box-sizing: border-box; }
.root {
  --accent: ${accent};
  --text: #1d2433; --text-2: #4a5468; --muted: #5f687b; /* text meets WCAG AA 4.5:1 (e2e/a11y.test.mjs) */
  --border: #e4e7ec; --surface: #fff; --bg: #f5f6f8;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  font-size: 14px; line-height: 1.45; color: var(--text);
  -webkit-font-smoothing: antialiased;
}
button, input, textarea { font: inherit; color: inherit; margin: 0; }
[hidden] { display: none !important; }

/* The root is the visible area (viewport.ts); only the launcher and the panel take clicks. */
.root { position: absolute; inset: 0; pointer-events: none; }
.launcher, .panel { pointer-events: auto; }
.launcher {
  position: absolute; right: 20px; bottom: 20px; width: 56px; height: 56px; border-radius: 50%;
  border: 0; background: var(--accent); color: #fff; cursor: pointer; display: grid; place-items: center;
  box-shadow: 0 6px 20px rgba(16,24,40,.22), 0 2px 6px rgba(16,24,40,.12);
  transition: transform .15s ease, box-shadow .15s ease;
}
.launcher:hover { transform: translateY(-1px) scale(1.04); }
.launcher:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid color-mix(in srgb, var(--accent) 45%, transparent); outline-offset: 2px; }
.head button:focus-visible { outline-color: #fff; }
.launcher .badge {
  position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 6px; border-radius: 999px;
  background: #dc2626; color: #fff; font-size: 11px; font-weight: 700; display: grid; place-items: center;
  border: 2px solid #fff;
}

.panel {
  position: absolute; right: 20px; bottom: 88px; width: min(370px, calc(100% - 40px)); height: min(600px, calc(100% - 110px));
  display: flex; flex-direction: column; overflow: hidden;
  background: var(--surface); border-radius: 16px;
  box-shadow: 0 16px 48px rgba(16,24,40,.18), 0 2px 8px rgba(16,24,40,.08);
  animation: pop .18s ease-out; transform-origin: bottom right;
}
@keyframes pop { from { opacity: 0; transform: translateY(8px) scale(.98); } }
/* A phone-sized visible area (viewport.ts, not a media query: the page may be laid out wider). */
.is-phone .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; animation: none; }
.is-phone .panel:not([hidden]) ~ .launcher { display: none; }
.is-phone .launcher { right: 16px; bottom: 16px; }

.head {
  flex: none; display: flex; align-items: center; gap: 12px; padding: 16px 14px 16px 18px;
  background: var(--accent); color: #fff;
}
.head-avatar {
  flex: none; width: 36px; height: 36px; border-radius: 50%; background: rgba(0,0,0,.18);
  display: grid; place-items: center; font-weight: 700; font-size: 13px; position: relative;
}
.head-avatar.online::after {
  content: ''; position: absolute; right: 0; bottom: 0; width: 10px; height: 10px; border-radius: 50%;
  background: #22c55e; border: 2px solid var(--accent);
}
.head-text { flex: 1; min-width: 0; }
.head-title { font-weight: 600; font-size: 15px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.head-sub { font-size: 12px; opacity: .85; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.icon-btn {
  flex: none; width: 32px; height: 32px; border: 0; border-radius: 8px; background: transparent; color: inherit;
  display: grid; place-items: center; cursor: pointer; opacity: .9;
}
.icon-btn:hover { background: rgba(255,255,255,.16); opacity: 1; }
.head .link-end {
  border: 1px solid rgba(255,255,255,.45); background: transparent; color: #fff; border-radius: 999px;
  padding: 3px 10px; font-size: 12px; cursor: pointer;
}
.head .link-end:hover { background: rgba(255,255,255,.14); }

.body { flex: 1; min-height: 0; display: flex; flex-direction: column; background: var(--bg); }
.scroll { flex: 1; min-height: 0; overflow-y: auto; overflow-anchor: none; }

/* pre-chat form */
.form { padding: 20px 18px; display: flex; flex-direction: column; gap: 12px; }
.intro { margin: 0 0 4px; color: var(--text-2); }
.intro strong { color: var(--text); display: block; font-size: 16px; margin-bottom: 4px; }
.field { display: flex; flex-direction: column; gap: 5px; }
.field label { font-size: 12px; font-weight: 600; color: var(--text-2); }
.field label .req { color: #b91c1c; margin-left: 2px; }
.field label .opt { color: var(--muted); font-weight: 400; }
.field input {
  height: 40px; padding: 0 12px; border: 1px solid #d0d5dd; border-radius: 8px; background: #fff; outline: none;
  transition: border-color .12s, box-shadow .12s;
}
.field input:focus { border-color: var(--accent); box-shadow: 0 0 0 3px color-mix(in srgb, var(--accent) 18%, transparent); }
.field input[aria-invalid="true"] { border-color: #b91c1c; }
.field-error { font-size: 12px; color: #b91c1c; }
.error {
  color: #b91c1c; background: #fdeeee; border: 1px solid #f6caca; border-radius: 8px; padding: 8px 12px; font-size: 13px;
}
.btn {
  height: 42px; border: 0; border-radius: 10px; background: var(--accent); color: #fff; font-weight: 600; cursor: pointer;
  padding: 0 16px; transition: filter .12s;
}
.btn:hover:not(:disabled) { filter: brightness(1.08); }
.btn:disabled { opacity: .6; cursor: default; }
.btn-secondary { background: #fff; color: var(--text); border: 1px solid #d0d5dd; }
.fineprint { font-size: 11px; color: var(--muted); text-align: center; margin: 2px 0 0; }

/* waiting */
.center { flex: 1; display: flex; flex-direction: column; align-items: center; justify-content: center; text-align: center; padding: 28px; gap: 10px; }
.center h3 { margin: 0; font-size: 16px; }
.center p { margin: 0; color: var(--text-2); }
.spinner { width: 34px; height: 34px; border-radius: 50%; border: 3px solid #e4e7ec; border-top-color: var(--accent); animation: spin .8s linear infinite; margin-bottom: 6px; }
@keyframes spin { to { transform: rotate(360deg); } }
.link { border: 0; background: none; color: var(--muted); cursor: pointer; font-size: 13px; text-decoration: underline; padding: 4px; }

/* chat */
.messages { padding: 16px 14px 8px; display: flex; flex-direction: column; gap: 2px; }
.history-edge { height: 28px; margin-top: 8px; display: flex; align-items: center; justify-content: center; gap: 4px; color: var(--muted); font-size: 12px; }
.history-edge button { font-size: 12px; }
.msg { display: flex; flex-direction: column; max-width: 80%; margin-top: 8px; }
.msg.grouped { margin-top: 2px; }
.msg.in { align-self: flex-start; align-items: flex-start; }
.msg.out { align-self: flex-end; align-items: flex-end; }
.bubble { padding: 8px 12px; border-radius: 16px; white-space: pre-wrap; overflow-wrap: anywhere; }
.in .bubble { background: #fff; border: 1px solid var(--border); border-bottom-left-radius: 4px; }
.out .bubble { background: var(--accent); color: #fff; border-bottom-right-radius: 4px; }
.meta { font-size: 11px; color: var(--muted); margin-top: 2px; padding: 0 4px; }
.bubble a { color: inherit; text-decoration: underline; text-underline-offset: 2px; overflow-wrap: anywhere; }
.in .bubble a { color: var(--accent); }
.meta .seen { color: var(--accent); font-weight: 600; }
.msg.pending .bubble { opacity: .65; }
.msg.failed .bubble { background: #fdeeee; color: #b91c1c; border: 1px solid #f6caca; }
.msg.failed .meta { color: #b91c1c; }
.meta button { border: 0; background: none; padding: 0; color: inherit; text-decoration: underline; cursor: pointer; font-size: 11px; }
.note { align-self: center; margin: 10px 0; padding: 3px 12px; border-radius: 999px; background: #eceef2; color: var(--text-2); font-size: 12px; text-align: center; max-width: 90%; }
.typing { display: flex; align-items: center; gap: 6px; color: var(--muted); font-size: 12px; padding: 4px 16px 6px; }
.dots { display: inline-flex; gap: 3px; }
.dots i { width: 5px; height: 5px; border-radius: 50%; background: var(--muted); animation: blink 1s infinite; }
.dots i:nth-child(2) { animation-delay: .15s; } .dots i:nth-child(3) { animation-delay: .3s; }
@keyframes blink { 50% { opacity: .3; } }
.composer { flex: none; display: flex; gap: 8px; align-items: flex-end; padding: 10px 12px 12px; background: #fff; border-top: 1px solid var(--border); }
.composer textarea {
  flex: 1; resize: none; border: 1px solid #d0d5dd; border-radius: 10px; padding: 9px 12px; outline: none;
  min-height: 40px; max-height: 120px; line-height: 1.4; background: #fff;
}
.composer textarea:focus { border-color: var(--accent); box-shadow: 0 0 0 3px color-mix(in srgb, var(--accent) 18%, transparent); }
.send { width: 40px; height: 40px; border-radius: 10px; border: 0; background: var(--accent); color: #fff; display: grid; place-items: center; cursor: pointer; flex: none; }
.send:disabled { opacity: .45; cursor: default; }
.composer-error { flex: none; margin: 0 12px 8px; }
.ended { flex: none; padding: 16px 18px 18px; background: #fff; border-top: 1px solid var(--border); text-align: center; display: flex; flex-direction: column; gap: 10px; }
.ended p { margin: 0; font-weight: 600; }
.missed-card { background: #fff; border: 1px solid var(--border); border-radius: 12px; padding: 14px 16px; color: var(--text); white-space: pre-wrap; overflow-wrap: anywhere; text-align: left; }
/* calendar cards and meeting confirmations */
.cal-card { align-self: stretch; margin: 10px 0 4px; background: #fff; border: 1px solid var(--border); border-radius: 12px; padding: 12px 12px 10px; text-align: left; box-shadow: 0 1px 2px rgba(16,24,40,.05); }
.cal-card .cal-card { margin: 0; padding: 0; border: 0; box-shadow: none; }
.cal-head { display: flex; align-items: center; gap: 8px; margin-bottom: 6px; }
.cal-icon { flex: none; width: 26px; height: 26px; border-radius: 8px; display: grid; place-items: center; color: var(--accent); background: color-mix(in srgb, var(--accent) 12%, #fff); }
.meeting-card.is-cancelled .cal-icon { color: #b91c1c; background: #fdeeee; }
.cal-title { flex: 1; min-width: 0; font-weight: 600; overflow-wrap: anywhere; }
.cal-status { flex: none; font-size: 11px; font-weight: 600; padding: 1px 8px; border-radius: 999px; background: #e8f7ee; color: #166534; }
.cal-status.is-rescheduled { background: #fef5e6; color: #b45309; }
.cal-status.is-cancelled { background: #fdeeee; color: #b91c1c; }
.cal-when { font-weight: 600; font-size: 13px; margin: 2px 0; }
.meeting-card.is-cancelled .cal-when, .meeting-card.is-stale .cal-when { text-decoration: line-through; color: var(--muted); }
.cal-line { margin: 2px 0; font-size: 13px; overflow-wrap: anywhere; }
.cal-muted { color: var(--muted); }
.cal-zone { margin: 0 0 8px; font-size: 12px; color: var(--muted); }
.cal-actions { display: flex; flex-wrap: wrap; gap: 6px 14px; margin-top: 8px; }
.cal-link { display: inline-flex; align-items: center; gap: 4px; color: var(--accent); font-size: 13px; font-weight: 500; text-decoration: none; }
.cal-link:hover { text-decoration: underline; }
.cal-button-link { border: 0; background: none; padding: 0; cursor: pointer; }
.cal-button-link:disabled { opacity: .5; cursor: default; }
.cal-error { margin-top: 6px; color: #b91c1c; background: #fdeeee; border: 1px solid #f6caca; border-radius: 8px; padding: 6px 10px; font-size: 12px; }
.cal-taken { margin-bottom: 8px; color: #b45309; background: #fef5e6; border: 1px solid #f5d9a8; border-radius: 8px; padding: 6px 10px; font-size: 13px; font-weight: 600; }
.slot-days { display: flex; flex-direction: column; gap: 10px; }
.slot-day-title { margin: 0 0 5px; font-size: 12px; font-weight: 600; color: var(--text-2); }
.slot-grid { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 6px; }
.slot { height: 32px; border: 1px solid color-mix(in srgb, var(--accent) 40%, #fff); border-radius: 8px; background: #fff; color: var(--accent); font-weight: 600; font-size: 13px; cursor: pointer; font-variant-numeric: tabular-nums; }
.slot:hover:not(:disabled) { background: color-mix(in srgb, var(--accent) 8%, #fff); }
.slot.is-selected { background: var(--accent); color: #fff; border-color: var(--accent); }
.slot:disabled { opacity: .6; cursor: default; }
.slot-more { align-self: flex-start; margin-top: 4px; border: 0; background: none; padding: 0; color: var(--accent); font-size: 12px; cursor: pointer; text-decoration: underline; }
.cal-confirm { margin-top: 10px; padding-top: 10px; border-top: 1px solid var(--border); display: flex; flex-direction: column; gap: 8px; }
.cal-label { display: flex; flex-direction: column; gap: 4px; font-size: 12px; font-weight: 600; color: var(--text-2); }
.cal-input { height: 36px; padding: 0 10px; border: 1px solid #d0d5dd; border-radius: 8px; background: #fff; outline: none; font-weight: 400; }
.cal-input:focus { border-color: var(--accent); box-shadow: 0 0 0 3px color-mix(in srgb, var(--accent) 18%, transparent); }
.cal-confirm-actions { display: flex; align-items: center; justify-content: space-between; gap: 10px; }
.cal-book { height: 36px; padding: 0 22px; }
.center.has-cards { justify-content: flex-start; overflow-y: auto; min-height: 0; }
.missed-book { margin: 4px 0 0; font-weight: 600; color: var(--text); }
.missed-cards { align-self: stretch; display: flex; flex-direction: column; }
.powered { flex: none; text-align: center; font-size: 11px; color: var(--muted); padding: 6px 0 8px; background: var(--bg); }
`;
