// One kubeconfig with several identities of the FAKE cluster: the admin (context `fake-admin`, current)
// and one context per ServiceAccount (`fake-sa-NS-NAME`), each user holding its bearer token.
import { parse, stringify } from 'yaml';
import type { FakeApiServer } from '../fake-apiserver/index.js';
import { serviceAccountUser } from '../fake-apiserver/index.js';

interface OneConfig {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
}

export function kubeconfigFile(server: FakeApiServer, serviceAccounts: readonly string[]): string {
  const identities: [context: string, user: string, namespace: string][] = [
    ['fake-admin', 'system:admin', 'default'],
  ];
  for (const sa of serviceAccounts) {
    const [ns = '', name = ''] = sa.split('/');
    identities.push([`fake-sa-${ns}-${name}`, serviceAccountUser(ns, name), ns]);
  }
  const configs = identities.map(([, user, ns]) => parse(server.kubeconfig(user, ns)) as OneConfig);
  const cluster = configs[0]?.clusters[0]?.cluster ?? {};
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'fake-cluster', cluster }],
    users: configs.map((c, i) => ({ name: identities[i]?.[1] ?? '', user: c.users[0]?.user ?? {} })),
    contexts: identities.map(([context, user, namespace]) => ({
      name: context,
      context: { cluster: 'fake-cluster', user, namespace },
    })),
    'current-context': 'fake-admin',
  });
}
