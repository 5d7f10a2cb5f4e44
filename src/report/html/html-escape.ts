// HTML escaping for the reports. Every value put into a page goes through `html`, a tagged template that
// escapes each interpolated value unless it is already `SafeHtml` (markup this module's callers built
// with `html` themselves). So a name, label, reason or diagnosis from a user's manifests is text in the
// page, never markup, without each call site having to remember to escape it.

/** Markup built by `html` (its literal parts are ours, its values escaped): safe to put in a page as is. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/**
 * Escapes text for HTML content and for double- or single-quoted attribute values (the five characters
 * that can end a text run or an attribute), and drops the C0 control characters HTML does not allow in text.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A value `html` accepts: text and numbers are escaped, SafeHtml kept, lists joined, nothing skipped. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeHtml(String(value));
}
