// The widget's host box follows the *visual* viewport (what the visitor actually sees), not the
// layout viewport that `position: fixed` normally uses. On a phone the two differ: a host page
// without `<meta name="viewport">`, or with an element wider than the screen, is laid out wider
// than the phone and zoomed out to fit, and after a pinch-zoom the visitor sees only part of it —
// a launcher fixed to the layout viewport's corner is then small, or off screen entirely.
//
// So the host is fixed at the layout viewport's origin and moved and scaled onto the visual
// viewport (window.visualViewport: offset, size, pinch scale): its box is the visible area at the
// phone's own pixel size, and the widget inside lays itself out in that box (the transform makes
// the host the containing block of everything in the shadow root). Browsers without
// visualViewport get the plain window.

/** Narrower than this (in the visitor's own screen pixels), the open panel covers the screen. */
export const PHONE_MAX_WIDTH = 480;

export interface ViewportBox {
  left: number;
  top: number;
  /** Size in screen pixels (the widget's own CSS pixels after the counter-scale). */
  width: number;
  height: number;
  scale: number;
}

export function visibleBox(): ViewportBox {
  const vv = window.visualViewport;
  if (!vv || !(vv.scale > 0)) return { left: 0, top: 0, width: window.innerWidth, height: window.innerHeight, scale: 1 };
  return { left: vv.offsetLeft, top: vv.offsetTop, width: vv.width * vv.scale, height: vv.height * vv.scale, scale: vv.scale };
}

/**
 * Keeps `host` on the visible area from now on; `onPhone(true|false)` is told whenever the area
 * becomes narrower or wider than PHONE_MAX_WIDTH (and once at the start).
 */
export function followVisualViewport(host: HTMLElement, onPhone: (phone: boolean) => void): void {
  let phone: boolean | null = null;
  let frame = 0;
  const place = () => {
    frame = 0;
    const b = visibleBox();
    const s = host.style;
    s.width = `${b.width}px`;
    s.height = `${b.height}px`;
    s.transform = `translate(${b.left}px, ${b.top}px) scale(${1 / b.scale})`;
    const nowPhone = b.width <= PHONE_MAX_WIDTH;
    if (nowPhone !== phone) {
      phone = nowPhone;
      onPhone(nowPhone);
    }
  };
  const soon = () => {
    if (!frame) frame = window.requestAnimationFrame(place);
  };
  place();
  const vv = window.visualViewport;
  vv?.addEventListener('resize', soon);
  vv?.addEventListener('scroll', soon);
  window.addEventListener('resize', soon);
  window.addEventListener('orientationchange', soon);
}
