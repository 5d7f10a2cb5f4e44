// The HTTP request paths a probe can send, as one pattern that the CRD, `flowprobe validate` and the
// probe's own argument encoding share, so that nothing the API server accepts is refused by the probe.
//
// RFC 3986 (sections 3.3 and 3.4): a path and query are made of pchar = unreserved / pct-encoded /
// sub-delims / ":" / "@", plus "/" and "?" in the query; unreserved = ALPHA / DIGIT / "-" / "." / "_" /
// "~"; sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="; pct-encoded = "%"
// HEXDIG HEXDIG. The script's `path_ok` accepts exactly these (test/probe/contract.test.ts compares them).
// "|" is not among them, but users write it in query strings; the probe's argument format uses it as the
// field separator, so it is sent percent-encoded (%7C), which a server reads as the same URI.

/** The most characters the script accepts in a path argument (after encoding), so a result line fits PIPE_BUF. */
export const MAX_PATH_ARGUMENT = 1024;

/** One pchar, "/" or "?", or a percent-encoded octet. ECMAScript and Go RE2 read it the same way. */
const PATH_CHAR = "[-A-Za-z0-9._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2}";

/** What the script accepts as a path argument (`path_ok` in script.ts). */
export const PATH_ARGUMENT_PATTERN = `^/(${PATH_CHAR})*$`;

/** What a user may write as `http.path`: the above, and "|", which the encoding below makes %7C. */
export const HTTP_PATH_PATTERN = `^/(${PATH_CHAR}|[|])*$`;

export const HTTP_PATH_DESCRIPTION =
  'an absolute path and optional query of the characters RFC 3986 allows (letters, digits, ' +
  "-._~!$&'()*+,;=:@/? and %XX) or |, such as /healthz or /odata/Products?$top=1";

const PATH_ARGUMENT = new RegExp(PATH_ARGUMENT_PATTERN);
const HTTP_PATH = new RegExp(HTTP_PATH_PATTERN);

/** The path as the probe's argument carries it: "|" percent-encoded, everything else as written. */
export function encodePath(path: string): string {
  return path.replaceAll('|', '%7C');
}

/** Whether the script accepts this (already encoded) path argument. */
export function isPathArgument(argument: string): boolean {
  return argument.length <= MAX_PATH_ARGUMENT && PATH_ARGUMENT.test(argument);
}

/** The reason a path as written by a user cannot be probed, or undefined when it can. */
export function httpPathProblem(path: string): string | undefined {
  if (!HTTP_PATH.test(path)) return `the path must be ${HTTP_PATH_DESCRIPTION}`;
  const length = encodePath(path).length;
  if (length > MAX_PATH_ARGUMENT) {
    return `the path is ${length} characters long with | sent as %7C; at most ${MAX_PATH_ARGUMENT} fit`;
  }
  return undefined;
}
