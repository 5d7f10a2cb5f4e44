// Small pieces of wording and markup the report pages share.
import { html, type SafeHtml } from './html-escape.js';

/** `1 flow`, `3 flows`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A list of sentences as a bulleted list; `empty` (muted) when there are none. */
export function renderList(items: readonly string[], empty: string): SafeHtml {
  if (items.length === 0) return html`<span class="none">${empty}</span>`;
  if (items.length === 1) return html`${items[0]}`;
  return html`<ul>
    ${items.map((i) => html`<li>${i}</li>`)}
  </ul>`;
}
