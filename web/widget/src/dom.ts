// The DOM builder lives in web/shared/dom.ts (the meeting page uses it too).
export * from '../../shared/dom';
