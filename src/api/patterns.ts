// Name formats, each as a pattern the API server (Go RE2), ajv (ECMAScript) and CEL `matches()` all
// read the same way: no look-around, no back-references, `[.]` rather than `\.` so the text survives
// being embedded in a CEL string literal unchanged.
import { DNS_NAME_DESCRIPTION, DNS_NAME_MAX_LENGTH, DNS_NAME_PATTERN } from '../probe/dns-name.js';
import { HTTP_PATH_DESCRIPTION, HTTP_PATH_PATTERN, MAX_PATH_ARGUMENT } from '../probe/http-path.js';

export interface NameFormat {
  pattern: string;
  maxLength: number;
  /** Completes "must be …" in a problem message. */
  description: string;
}

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';

/** RFC 1123 label: namespaces, flow names. https://kubernetes.io/docs/concepts/overview/working-with-objects/names/ */
export const DNS1123_LABEL: NameFormat = {
  pattern: `^${LABEL}$`,
  maxLength: 63,
  description: 'a DNS-1123 label (lowercase letters, digits and "-", starting and ending alphanumeric)',
};

/** RFC 1123 subdomain: host names, object names. */
export const DNS1123_SUBDOMAIN: NameFormat = {
  pattern: `^${LABEL}([.]${LABEL})*$`,
  maxLength: 253,
  description: 'a DNS-1123 subdomain (lowercase dot-separated labels of letters, digits and "-")',
};

/** RFC 1035 label: Service names must start with a letter (same names page, "RFC 1035 Label Names"). */
export const DNS1035_LABEL: NameFormat = {
  pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$',
  maxLength: 63,
  description: 'a DNS-1035 label (lowercase letters, digits and "-", starting with a letter)',
};

/** Label values: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set */
export const LABEL_VALUE: NameFormat = {
  pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$',
  maxLength: 63,
  description: 'a label value (at most 63 alphanumerics, "-", "_" or ".", starting and ending alphanumeric)',
};

/**
 * Label keys: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. Maps'
 * keys cannot carry a pattern in a structural schema (no `propertyNames`), so this one is checked by CEL.
 * The prefix's 253-character total is not expressed (each of its labels is bounded to 63).
 */
export const LABEL_KEY: NameFormat = {
  pattern:
    '^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?([.][a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$',
  maxLength: 317,
  description:
    'a label key (an optional DNS subdomain and "/", then at most 63 alphanumerics, "-", "_" or ".")',
};

/** Go durations limited to whole hours, minutes and seconds, in that order: `30s`, `5m`, `1h30m`. */
export const INTERVAL: NameFormat = {
  pattern: '^([0-9]+h([0-9]+m)?([0-9]+s)?|[0-9]+m([0-9]+s)?|[0-9]+s)$',
  maxLength: 32,
  description: 'a duration such as 30s, 5m or 1h30m',
};

/**
 * The HTTP paths the probe can send, from the probe's own definition (src/probe/http-path.ts), so the CRD
 * accepts no path the probe refuses. The probe's limit counts "|" as the three characters of %7C; the
 * `path-fits-probe` rule checks that.
 */
export const HTTP_PATH: NameFormat = {
  pattern: HTTP_PATH_PATTERN,
  maxLength: MAX_PATH_ARGUMENT,
  description: HTTP_PATH_DESCRIPTION,
};

/** The name a DNS check asks about, from the probe's own definition (src/probe/dns-name.ts). */
export const DNS_NAME: NameFormat = {
  pattern: DNS_NAME_PATTERN,
  maxLength: DNS_NAME_MAX_LENGTH,
  description: DNS_NAME_DESCRIPTION,
};

export const NAME_FORMATS: readonly NameFormat[] = [
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  DNS1035_LABEL,
  LABEL_VALUE,
  LABEL_KEY,
  INTERVAL,
  HTTP_PATH,
  DNS_NAME,
];
