// Browser (desktop) notifications for incoming chat requests.
//
// Permission is asked once, from a click ("Enable browser notifications"); a dismissal of that
// prompt is remembered in localStorage. A notification is shown when the Inbox is in the
// background (tab hidden or window not focused); the per-browser preference
// `parley.notify_in_foreground` (Settings → This browser) shows it even when the Inbox is in front.

import { t } from './i18n';

const DISMISSED_KEY = 'parley.notifications_prompt_dismissed';
const FOREGROUND_KEY = 'parley.notify_in_foreground';

export type Permission = NotificationPermission | 'unsupported';

export function notificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

export function notificationPermission(): Permission {
  return notificationsSupported() ? Notification.permission : 'unsupported';
}

/** Must be called from a click handler (browsers ignore it otherwise). */
export async function requestNotificationPermission(): Promise<Permission> {
  if (!notificationsSupported()) return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/** Calls `fn` when the permission changes outside our prompt (browser UI, site settings). */
export function watchNotificationPermission(fn: (p: Permission) => void): () => void {
  let status: PermissionStatus | null = null;
  let stopped = false;
  const onChange = () => fn(notificationPermission());
  try {
    navigator.permissions
      ?.query({ name: 'notifications' as PermissionName })
      .then((s) => {
        if (stopped) return;
        status = s;
        s.addEventListener('change', onChange);
      })
      .catch(() => undefined);
  } catch {
    /* Permissions API missing */
  }
  // Coming back to the tab is a good moment to re-read it, too.
  window.addEventListener('focus', onChange);
  return () => {
    stopped = true;
    status?.removeEventListener('change', onChange);
    window.removeEventListener('focus', onChange);
  };
}

function readFlag(key: string): boolean {
  try {
    return window.localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

function writeFlag(key: string, on: boolean): void {
  try {
    if (on) window.localStorage.setItem(key, '1');
    else window.localStorage.removeItem(key);
  } catch {
    /* private mode: not remembered */
  }
}

export const notificationPrompt = {
  dismissed: () => readFlag(DISMISSED_KEY),
  dismiss: () => writeFlag(DISMISSED_KEY, true),
};

export const notifyInForeground = {
  get: () => readFlag(FOREGROUND_KEY),
  set: (on: boolean) => writeFlag(FOREGROUND_KEY, on),
};

const open = new Map<number, Notification>();

/**
 * Shows a browser notification if permitted and the Inbox is not in front (or the foreground
 * preference is on); clicking it focuses the window, runs `onClick` and closes it. Returns the
 * notification, or null when none was shown (some browsers only allow notifications from a
 * service worker: the in-page banner is then enough).
 */
function notifyAgent(title: string, body: string, tag: string, onClick: () => void): Notification | null {
  if (!notificationsSupported() || Notification.permission !== 'granted') return null;
  const background = document.hidden || !document.hasFocus();
  if (!background && !notifyInForeground.get()) return null;
  try {
    const n = new Notification(title, { body, tag });
    n.onclick = () => {
      try {
        window.focus();
      } catch {
        /* ignore */
      }
      onClick();
      n.close();
    };
    return n;
  } catch {
    return null;
  }
}

/** Shows "New chat request" for a conversation (see notifyAgent). */
export function showRequestNotification(conversationId: number, body: string, onClick: () => void): void {
  const n = notifyAgent(t('request.new'), body, `parley-request-${conversationId}`, onClick);
  if (!n) return;
  open.set(conversationId, n);
  n.onclose = () => {
    if (open.get(conversationId) === n) open.delete(conversationId);
  };
}

/** The request was accepted, taken or withdrawn: its notification is stale. */
export function closeRequestNotification(conversationId: number): void {
  const n = open.get(conversationId);
  if (!n) return;
  open.delete(conversationId);
  try {
    n.close();
  } catch {
    /* ignore */
  }
}

/**
 * A meeting on this agent's calendar was booked, moved or cancelled: same rule as requests (in the
 * background, or always with the foreground preference). Clicking it opens the meeting list.
 */
export function showMeetingNotification(meetingId: number, title: string, body: string, onClick: () => void): void {
  notifyAgent(title, body, `parley-meeting-${meetingId}`, onClick);
}
