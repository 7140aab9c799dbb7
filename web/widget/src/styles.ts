// All widget CSS. It lives inside the shadow root, so it neither leaks into nor inherits
// from the host page (`:host { all: initial }` resets inherited properties too).
export const css = (accent: string) => `
:host { all: initial; }
* { box-sizing: border-box; }
.root {
  --accent: ${accent};
  --text: #1d2433; --text-2: #4a5468; --muted: #7a8497;
  --border: #e4e7ec; --surface: #fff; --bg: #f5f6f8;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  font-size: 14px; line-height: 1.45; color: var(--text);
  -webkit-font-smoothing: antialiased;
}
button, input, textarea { font: inherit; color: inherit; margin: 0; }
[hidden] { display: none !important; }

.launcher {
  position: fixed; right: 20px; bottom: 20px; width: 56px; height: 56px; border-radius: 50%;
  border: 0; background: var(--accent); color: #fff; cursor: pointer; display: grid; place-items: center;
  box-shadow: 0 6px 20px rgba(16,24,40,.22), 0 2px 6px rgba(16,24,40,.12);
  transition: transform .15s ease, box-shadow .15s ease;
}
.launcher:hover { transform: translateY(-1px) scale(1.04); }
.launcher:focus-visible, .btn:focus-visible, .icon-btn:focus-visible, .link:focus-visible { outline: 3px solid color-mix(in srgb, var(--accent) 45%, transparent); outline-offset: 2px; }
.launcher .badge {
  position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 6px; border-radius: 999px;
  background: #dc2626; color: #fff; font-size: 11px; font-weight: 700; display: grid; place-items: center;
  border: 2px solid #fff;
}

.panel {
  position: fixed; right: 20px; bottom: 88px; width: 370px; height: min(600px, calc(100vh - 110px));
  display: flex; flex-direction: column; overflow: hidden;
  background: var(--surface); border-radius: 16px;
  box-shadow: 0 16px 48px rgba(16,24,40,.18), 0 2px 8px rgba(16,24,40,.08);
  animation: pop .18s ease-out; transform-origin: bottom right;
}
@keyframes pop { from { opacity: 0; transform: translateY(8px) scale(.98); } }
@media (max-width: 480px) {
  .panel { right: 0; bottom: 0; width: 100vw; height: 100vh; height: 100dvh; border-radius: 0; }
  .panel:not([hidden]) ~ .launcher { display: none; }
}

.head {
  flex: none; display: flex; align-items: center; gap: 12px; padding: 16px 14px 16px 18px;
  background: var(--accent); color: #fff;
}
.head-avatar {
  flex: none; width: 36px; height: 36px; border-radius: 50%; background: rgba(255,255,255,.2);
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
.scroll { flex: 1; min-height: 0; overflow-y: auto; }

/* pre-chat form */
.form { padding: 20px 18px; display: flex; flex-direction: column; gap: 12px; }
.intro { margin: 0 0 4px; color: var(--text-2); }
.intro strong { color: var(--text); display: block; font-size: 16px; margin-bottom: 4px; }
.field { display: flex; flex-direction: column; gap: 5px; }
.field label { font-size: 12px; font-weight: 600; color: var(--text-2); }
.field label .req { color: #dc2626; margin-left: 2px; }
.field label .opt { color: var(--muted); font-weight: 400; }
.field input {
  height: 40px; padding: 0 12px; border: 1px solid #d0d5dd; border-radius: 8px; background: #fff; outline: none;
  transition: border-color .12s, box-shadow .12s;
}
.field input:focus { border-color: var(--accent); box-shadow: 0 0 0 3px color-mix(in srgb, var(--accent) 18%, transparent); }
.field input[aria-invalid="true"] { border-color: #dc2626; }
.field-error { font-size: 12px; color: #dc2626; }
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
.powered { flex: none; text-align: center; font-size: 11px; color: var(--muted); padding: 6px 0 8px; background: var(--bg); }
`;
