/**
 * The checks kube-apiserver makes on a LIST's or WATCH's options before it reads anything
 * (apimachinery pkg/apis/meta/internalversion/validation/validation.go, `ValidateListOptions` and
 * `validateWatchOptions`), answered as handlers/get.go does: 422 Invalid on kind `ListOptions.meta.k8s.io`
 * with name "", one cause per problem. `watchList` is the server's WatchList feature gate: on by default in
 * 1.32 and from 1.34, off in 1.33 (kubernetes/website feature-gates/WatchList.md); with it off a
 * `sendInitialEvents` watch is refused, which is how a client learns to fall back to a paged LIST.
 */
import { invalid } from './status-errors.js';
import type { FieldCause } from './types.js';

export interface ListOptionsQuery {
  watch: boolean;
  resourceVersion: string | null;
  resourceVersionMatch: string | null;
  continueToken: string | null;
  /** The raw `sendInitialEvents` parameter: null when absent (Go's nil). */
  sendInitialEvents: string | null;
}

const EXACT = 'Exact';
const NOT_OLDER_THAN = 'NotOlderThan';

function forbidden(field: string, message: string): FieldCause {
  return { reason: 'FieldValueForbidden', message: `Forbidden: ${message}`, field };
}

function notSupported(field: string, value: string, supported: string[]): FieldCause {
  const quoted = supported.map((s) => JSON.stringify(s)).join(', ');
  return {
    reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${quoted}`,
    field,
  };
}

function listCauses(q: ListOptionsQuery): FieldCause[] {
  const causes: FieldCause[] = [];
  const match = q.resourceVersionMatch ?? '';
  if (match !== '') {
    if (!q.resourceVersion)
      causes.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden unless resourceVersion is provided',
        ),
      );
    if (q.continueToken)
      causes.push(
        forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'),
      );
    if (match !== EXACT && match !== NOT_OLDER_THAN)
      causes.push(notSupported('resourceVersionMatch', match, [EXACT, NOT_OLDER_THAN, '']));
    if (match === EXACT && q.resourceVersion === '0')
      causes.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        ),
      );
  }
  if (q.sendInitialEvents !== null)
    causes.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  return causes;
}

function watchCauses(q: ListOptionsQuery, watchList: boolean): FieldCause[] {
  const causes: FieldCause[] = [];
  const match = q.resourceVersionMatch ?? '';
  if (q.sendInitialEvents !== null) {
    if (match !== NOT_OLDER_THAN)
      causes.push(
        forbidden(
          'resourceVersionMatch',
          `sendInitialEvents requires setting resourceVersionMatch to ${NOT_OLDER_THAN}`,
        ),
      );
    if (!watchList)
      causes.push(
        forbidden(
          'sendInitialEvents',
          'sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
        ),
      );
  }
  if (match !== '') {
    if (q.sendInitialEvents === null)
      causes.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        ),
      );
    if (match !== NOT_OLDER_THAN) causes.push(notSupported('resourceVersionMatch', match, [NOT_OLDER_THAN]));
    if (q.continueToken)
      causes.push(
        forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'),
      );
  }
  return causes;
}

/** Throws kube-apiserver's 422 when the options are an invalid combination. */
export function validateListOptions(q: ListOptionsQuery, watchList: boolean): void {
  const causes = q.watch ? watchCauses(q, watchList) : listCauses(q);
  if (causes.length > 0) throw invalid('ListOptions', 'meta.k8s.io', '', causes);
}
