// An Event's note must fit kube-apiserver's limit: 1024 bytes, counted in UTF-8 (Go's `len`; kubernetes
// pkg/apis/core/validation/events.go, `NoteLengthLimit`). Diagnoses hold multi-byte characters (—), so
// counting JavaScript characters (UTF-16 units) is not enough: a note of 1024 characters can be 3 kB.

export const NOTE_MAX_BYTES = 1024;
const ELLIPSIS = '…';

/**
 * The note as it is when it fits; otherwise its longest prefix of whole characters (code points, so no
 * UTF-8 sequence or surrogate pair is split) that leaves room for a closing ellipsis, and the ellipsis.
 */
export function fitNote(note: string, maxBytes = NOTE_MAX_BYTES): string {
  if (Buffer.byteLength(note, 'utf8') <= maxBytes) return note;
  const budget = maxBytes - Buffer.byteLength(ELLIPSIS, 'utf8');
  let used = 0;
  let end = 0;
  for (const char of note) {
    const size = utf8Size(char.codePointAt(0) ?? 0);
    if (used + size > budget) break;
    used += size;
    end += char.length;
  }
  return `${note.slice(0, end)}${ELLIPSIS}`;
}

/** Bytes of one code point in UTF-8; a lone surrogate is written as U+FFFD, three bytes. */
function utf8Size(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint < 0x10000 ? 3 : 4;
}
