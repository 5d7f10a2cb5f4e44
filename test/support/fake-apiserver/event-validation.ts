/**
 * kube-apiserver's hand-written Event validation, copied from kubernetes pkg/apis/core/validation/events.go
 * (`ValidateEventCreate`, `ValidateEventUpdate`, `legacyValidateEvent`, `validateV1EventSeries`), which the
 * event strategy (pkg/registry/core/event/strategy.go) runs for both APIs on the one storage:
 *
 * - every write passes the legacy rules: with an `eventTime` ("new" events), reportingController (a
 *   qualified name), reportingInstance, action and reason are required, the last three at most 128 and
 *   the message (events.k8s.io `note`) at most 1024 — Go's `len`, so **UTF-8 bytes**, not characters;
 * - writes through events.k8s.io/v1 are strict besides: eventTime required, type Normal or Warning, the
 *   deprecated core fields unset, a series of at least 2 with a lastObservedTime, and on update every
 *   field but the series (and metadata) immutable.
 *
 * The rules run on the core/v1 shape (event-conversion.ts), as kube validates the internal type, so field
 * paths are the internal ones (`message`, `involvedObject.namespace`) whichever API was used. Messages are
 * field.Error's (`Invalid value: "": can have at most 1024 characters`).
 */
import { validateBuiltin } from './builtin-validation.js';
import { eventToCore } from './event-conversion.js';
import { isRecord, jsonEqual, type FieldCause, type KubeObject } from './types.js';

export const NOTE_LENGTH_LIMIT = 1024;
const SHORT_FIELD_LIMIT = 128;

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_PART_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const QUALIFIED_NAME_MSG = `a qualified name ${NAME_PART_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`;
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** The fields ValidateEventUpdate keeps immutable for events.k8s.io/v1 writes (core/v1 JSON names). */
const IMMUTABLE = [
  'involvedObject',
  'reason',
  'message',
  'source',
  'firstTimestamp',
  'lastTimestamp',
  'count',
  'type',
  'eventTime',
  'action',
  'related',
  'reportingComponent',
  'reportingInstance',
] as const;

/** Their field paths in kube's errors: the internal Go field names (`ReportingController`). */
const PATH_OF: Partial<Record<(typeof IMMUTABLE)[number], string>> = {
  reportingComponent: 'reportingController',
};

/** Which API a write came through: events.k8s.io/v1 gets the strict rules. */
export type EventApi = 'core/v1' | 'events.k8s.io/v1';

/**
 * The `validate` of the ResourceDef of one of the two Event APIs (objects arrive in that API's shape): the
 * OpenAPI schema check every built-in gets (builtin-validation.ts), then the hand-written rules above.
 */
export function eventValidator(
  api: EventApi,
): (obj: KubeObject, old: KubeObject | undefined) => Promise<FieldCause[]> {
  const [group, core] = api === 'core/v1' ? ['', (o: KubeObject) => o] : ['events.k8s.io', eventToCore];
  return async (obj, old) => {
    const causes = [
      ...(await validateBuiltin(group, obj)),
      ...validateEvent(core(obj), old && core(old), api),
    ];
    // The schema and the hand-written rules both require eventTime; kube reports it once.
    return causes.filter(
      (c, i) => causes.findIndex((d) => d.field === c.field && d.reason === c.reason) === i,
    );
  };
}

/** ValidateEventCreate / ValidateEventUpdate on a core/v1-shaped Event. */
export function validateEvent(event: KubeObject, old: KubeObject | undefined, api: EventApi): FieldCause[] {
  const causes = legacyValidateEvent(event);
  if (api === 'core/v1') return causes;
  if (!old) return [...causes, ...strictCreate(event)];
  if (!jsonEqual(event.series, old.series)) causes.push(...validateSeries(event));
  for (const field of IMMUTABLE) {
    if (!jsonEqual(event[field], old[field]))
      causes.push(invalid(PATH_OF[field] ?? field, event[field], 'field is immutable'));
  }
  return causes;
}

function legacyValidateEvent(event: KubeObject): FieldCause[] {
  const involved = isRecord(event.involvedObject) ? event.involvedObject : {};
  const involvedNs = str(involved.namespace);
  const ns = event.metadata.namespace ?? '';
  const causes: FieldCause[] = [];
  const mismatch = () => invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!isSet(event.eventTime)) {
    // Old-style events: the namespaces must agree (or the event sits in "default" for an unnamespaced object).
    if (involvedNs === '' ? ns !== '' && ns !== 'default' : ns !== involvedNs) causes.push(mismatch());
  } else {
    if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') causes.push(mismatch());
    causes.push(...reportingController(str(event.reportingComponent)));
    causes.push(...requiredShort('reportingInstance', str(event.reportingInstance)));
    causes.push(...requiredShort('action', str(event.action)));
    causes.push(...requiredShort('reason', str(event.reason)));
    if (bytes(str(event.message)) > NOTE_LENGTH_LIMIT)
      causes.push(invalid('message', '', `can have at most ${NOTE_LENGTH_LIMIT} characters`));
  }
  // The last rule, IsDNS1123Subdomain(namespace), always holds here: the namespace exists, and namespace
  // names are DNS labels, which are stricter.
  return causes;
}

/** The strict rules for a create through events.k8s.io/v1 (the name rule is object-meta.ts's). */
function strictCreate(event: KubeObject): FieldCause[] {
  const causes = validateSeries(event);
  if (!isSet(event.eventTime)) causes.push(required('eventTime'));
  if (event.type !== 'Normal' && event.type !== 'Warning')
    causes.push(invalid('type', '', `has invalid value: ${str(event.type)}`));
  for (const field of ['firstTimestamp', 'lastTimestamp'] as const) {
    if (isSet(event[field])) causes.push(invalid(field, '', 'needs to be unset'));
  }
  if (typeof event.count === 'number' && event.count !== 0)
    causes.push(invalid('count', '', 'needs to be unset'));
  const source = isRecord(event.source) ? event.source : {};
  if (str(source.component) !== '' || str(source.host) !== '')
    causes.push(invalid('source', '', 'needs to be unset'));
  return causes;
}

function validateSeries(event: KubeObject): FieldCause[] {
  if (!isRecord(event.series)) return [];
  const causes: FieldCause[] = [];
  const count = typeof event.series.count === 'number' ? event.series.count : 0;
  if (count < 2) causes.push(invalid('series.count', '', 'should be at least 2'));
  if (!isSet(event.series.lastObservedTime)) causes.push(required('series.lastObservedTime'));
  return causes;
}

function reportingController(value: string): FieldCause[] {
  if (value === '') return [required('reportingController'), ...qualifiedName('reportingController', value)];
  return qualifiedName('reportingController', value);
}

/** validation.IsQualifiedName (apimachinery pkg/util/validation/validation.go), with its messages. */
function qualifiedName(field: string, value: string): FieldCause[] {
  const parts = value.split('/');
  if (parts.length > 2) return [invalid(field, value, QUALIFIED_NAME_MSG)];
  const [prefix, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : [undefined, parts[0]!];
  const causes: FieldCause[] = [];
  if (prefix === '') causes.push(invalid(field, value, 'prefix part must be non-empty'));
  else if (prefix !== undefined) {
    if (bytes(prefix) > 253)
      causes.push(invalid(field, value, 'prefix part must be no more than 253 characters'));
    if (!DNS1123_SUBDOMAIN.test(prefix)) causes.push(invalid(field, value, `prefix part ${SUBDOMAIN_MSG}`));
  }
  if (name === '') causes.push(invalid(field, value, 'name part must be non-empty'));
  else if (bytes(name) > 63)
    causes.push(invalid(field, value, 'name part must be no more than 63 characters'));
  if (!QUALIFIED_NAME.test(name)) causes.push(invalid(field, value, `name part ${NAME_PART_MSG}`));
  return causes;
}

function requiredShort(field: string, value: string): FieldCause[] {
  if (value === '') return [required(field)];
  if (bytes(value) > SHORT_FIELD_LIMIT)
    return [invalid(field, '', `can have at most ${SHORT_FIELD_LIMIT} characters`)];
  return [];
}

/** Go's `len` of a string: its UTF-8 bytes. */
function bytes(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** A metav1.Time or MicroTime that is not the zero time (JSON: absent or null). */
function isSet(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function required(field: string): FieldCause {
  return { reason: 'FieldValueRequired', field, message: 'Required value' };
}

function invalid(field: string, value: unknown, detail: string): FieldCause {
  return {
    reason: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${JSON.stringify(value ?? null)}: ${detail}`,
  };
}
