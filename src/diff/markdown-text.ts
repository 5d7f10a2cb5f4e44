// User text (names, label values, reasons) inside a Markdown pull-request comment. CommonMark lets any
// ASCII punctuation be escaped with a backslash, so each character that could start markup here is: `|`
// would end a table cell, a backtick open code, `<` an HTML tag (GitHub renders some), `&` an entity,
// `*`/`_`/`~` emphasis, `[`/`]`/`!` a link or image, `#` a heading. A line break would end a table row.

const MARKUP = /[\\`*_[\]<>|&#~!]/g;

export function escapeMarkdown(text: string): string {
  return text.replace(MARKUP, '\\$&').replace(/\r\n|\r|\n/g, ' ');
}

/** A GitHub-flavoured Markdown table; every cell is escaped. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeMarkdown).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)];
}
