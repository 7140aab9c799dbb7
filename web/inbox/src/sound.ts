// The request sound: one <audio loop> element (rendered by the App) that rings while at least
// one request waits, and stops when none does.
//
// Autoplay rules: a page may only start audio after a user gesture on it. `unlock()` is called
// from the "Enable sound" click (a muted play/pause in the gesture); if a later play() is still
// refused, `onBlocked` tells the store to show that prompt again.

/** Where the build puts the synthesised chime (web/scripts/chime.mjs). */
export const CHIME_URL = '/inbox/sounds/request.wav';

export class RequestSound {
  private el: HTMLAudioElement | null = null;
  private want = false;
  private unlocking = false;

  constructor(
    private readonly onUnlocked: () => void,
    private readonly onBlocked: () => void,
  ) {}

  /** The <audio> element's ref callback (a stable function, so Preact calls it on mount/unmount only). */
  readonly attach = (el: HTMLAudioElement | null): void => {
    if (el === this.el) return;
    // A detached element that is playing keeps playing: stop the old one.
    this.el?.pause();
    this.el = el;
    if (el) this.apply();
  };

  /** Rings (looping) when `on`, silent otherwise. Safe to call on every render. */
  set(on: boolean): void {
    if (on === this.want) return;
    this.want = on;
    this.apply();
  }

  /** From a click handler: lets this page play sound from now on. */
  unlock(): void {
    const el = this.el;
    if (!el) return;
    if (this.want) {
      // Something is waiting already: start ringing for real.
      this.play(el);
      return;
    }
    this.unlocking = true;
    el.muted = true;
    const p = el.play();
    const done = (ok: boolean) => {
      this.unlocking = false;
      if (!this.want) {
        el.pause();
        el.currentTime = 0;
      }
      el.muted = false;
      if (ok) this.onUnlocked();
      else this.onBlocked();
    };
    if (p && typeof p.then === 'function') p.then(() => done(true), () => done(false));
    else done(true);
  }

  /** Plays the chime once (Settings → "Play test sound"); also counts as an unlock. */
  test(): void {
    const el = this.el;
    if (!el || this.want) return;
    el.loop = false;
    el.currentTime = 0;
    el.muted = false;
    el.onended = () => {
      el.loop = true;
      el.onended = null;
    };
    el.play().then(
      () => this.onUnlocked(),
      () => {
        el.loop = true;
        this.onBlocked();
      },
    );
  }

  private apply(): void {
    const el = this.el;
    if (!el) return;
    if (this.want) {
      if (el.paused || el.muted) this.play(el);
    } else if (!this.unlocking) {
      el.pause();
      el.currentTime = 0;
      el.loop = true;
    }
  }

  private play(el: HTMLAudioElement): void {
    el.loop = true;
    el.muted = false;
    if (el.paused) el.currentTime = 0;
    const p = el.play();
    if (p && typeof p.then === 'function') {
      p.then(
        () => {
          // Stopped meanwhile (accepted within milliseconds)?
          if (!this.want) {
            el.pause();
            el.currentTime = 0;
          } else this.onUnlocked();
        },
        (err: unknown) => {
          // NotAllowedError: autoplay refused. AbortError: pause() came first, which is fine.
          if (err instanceof DOMException && err.name === 'AbortError') return;
          if (this.want) this.onBlocked();
        },
      );
    }
  }
}
