// The free times of a meeting calendar as a DOM picker, shared by the widget's calendar card and
// the meeting page: one section per day (a day header, then a grid of time buttons), a few days
// at a time. Text only (web/shared/dom.ts). The caller keeps `view` between renders and styles
// the classes (.slot-days, .slot-day, .slot-day-title, .slot-grid, .slot, .slot.is-selected,
// .slot-more).
import { h } from './dom';
import { groupSlotsByDay, slotTime } from './slots';
import type { Slot } from './protocol';

/** What the visitor has expanded; kept by the caller so a re-render does not fold it up. */
export interface PickerView {
  daysShown: number;
  openDays: Set<string>;
}

export interface PickerTexts {
  showAll(count: number): string;
  moreDays(count: number): string;
}

const ENGLISH: PickerTexts = {
  showAll: (count) => `Show all ${count} times`,
  moreDays: (count) => `More days (${count} more)`,
};

export interface PickerIds {
  day: string;
  dayTitle: string;
  slot: string;
  moreDays: string;
  moreTimes: string;
}

export interface PickerOptions {
  slots: Slot[];
  /** IANA zone the times are shown in. */
  zone: string;
  selected: number | null;
  view: PickerView;
  onPick(slot: Slot): void;
  /** The picker's words in the caller's language (English without). */
  texts?: PickerTexts;
  /** The view changed (more days / all times of a day): render again. */
  onView(): void;
  ids: PickerIds;
  disabled?: boolean;
}

export const DAYS_STEP = 3;
const TIMES_PER_DAY = 8;

export function newPickerView(): PickerView {
  return { daysShown: DAYS_STEP, openDays: new Set() };
}

export function slotPicker(o: PickerOptions): HTMLElement {
  const days = groupSlotsByDay(o.slots, o.zone);
  const root = h('div', { class: 'slot-days' });
  days.slice(0, Math.max(1, o.view.daysShown)).forEach((day) => {
    const holdsSelected = o.selected != null && day.slots.some((s) => s.start === o.selected);
    const open = o.view.openDays.has(day.key) || day.slots.length <= TIMES_PER_DAY + 1;
    let shown = open ? day.slots : day.slots.slice(0, TIMES_PER_DAY);
    if (!open && holdsSelected && !shown.some((s) => s.start === o.selected)) shown = [...shown, day.slots.find((s) => s.start === o.selected)!];
    const grid = h('div', { class: 'slot-grid', role: 'group', 'aria-label': day.title });
    for (const s of shown) {
      const selected = s.start === o.selected;
      grid.appendChild(
        h(
          'button',
          {
            type: 'button',
            class: `slot${selected ? ' is-selected' : ''}`,
            'aria-pressed': selected ? 'true' : 'false',
            'data-testid': o.ids.slot,
            'data-start': s.start,
            'data-end': s.end,
            disabled: !!o.disabled,
            onclick: () => o.onPick(s),
          },
          slotTime(s.start, o.zone),
        ),
      );
    }
    const rest = day.slots.length - shown.length;
    root.appendChild(
      h(
        'section',
        { class: 'slot-day', 'data-testid': o.ids.day, 'data-date': day.key },
        h('h4', { class: 'slot-day-title', 'data-testid': o.ids.dayTitle }, day.title),
        grid,
        rest > 0
          ? h(
              'button',
              {
                type: 'button',
                class: 'slot-more',
                'data-testid': o.ids.moreTimes,
                onclick: () => {
                  o.view.openDays.add(day.key);
                  o.onView();
                },
              },
              (o.texts ?? ENGLISH).showAll(day.slots.length),
            )
          : null,
      ),
    );
  });
  const hidden = days.length - Math.max(1, o.view.daysShown);
  if (hidden > 0) {
    root.appendChild(
      h(
        'button',
        {
          type: 'button',
          class: 'slot-more slot-more-days',
          'data-testid': o.ids.moreDays,
          onclick: () => {
            o.view.daysShown += DAYS_STEP;
            o.onView();
          },
        },
        (o.texts ?? ENGLISH).moreDays(hidden),
      ),
    );
  }
  return root;
}
