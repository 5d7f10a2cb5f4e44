// Shared endpoints and namespace labels for the out-of-model tables.
import {
  NAMESPACE_NAME_LABEL,
  type Endpoint,
  type LabelSelector,
  type NamespaceLabels,
  type PolicyType,
  type Selection,
} from '../../../src/policy/index.js';
import { external, pod } from '../builders.js';

const nsLabelsTable: Record<string, Record<string, string>> = {
  prod: { env: 'prod' },
  dev: { env: 'dev' },
};

export const nsLabels: NamespaceLabels = (ns) => ({ ...nsLabelsTable[ns], [NAMESPACE_NAME_LABEL]: ns });

export const subjects = {
  prodApi: pod('prod', 'api', { app: 'api' }),
  prodWeb: pod('prod', 'web', { app: 'web' }),
  devApi: pod('dev', 'api', { app: 'api' }),
  prodHost: pod('prod', 'agent', { app: 'api' }, { hostNetwork: true }),
  outside: external('203.0.113.10'),
} satisfies Record<string, Endpoint>;

export type Subject = keyof typeof subjects;

/** One row: the subject, the direction asked about, and the expected tri. */
export type Row = [Subject, PolicyType, Selection['tri']];

export const byApp = (app: string): LabelSelector => ({ matchLabels: { app } });
