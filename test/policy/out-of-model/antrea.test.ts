// Which sides of a flow an Antrea-native policy may select, per direction. Semantics from Antrea's API
// types and docs (cited in src/policy/out-of-model/antrea.ts).
import { strict as assert } from 'node:assert';
import {
  antreaSelects,
  type AntreaAppliedTo,
  type AntreaPolicy,
  type AntreaRule,
} from '../../../src/policy/index.js';
import { byApp, nsLabels, subjects, type Row } from './helpers.js';

function antrea(
  namespace: string | undefined,
  appliedTo: AntreaAppliedTo[] | undefined,
  ingress: AntreaRule[] = [{}],
  egress: AntreaRule[] = [],
): AntreaPolicy {
  return {
    project: 'Antrea',
    apiVersion: 'crd.antrea.io/v1beta1',
    kind: namespace === undefined ? 'ClusterNetworkPolicy' : 'NetworkPolicy',
    ...(namespace === undefined ? {} : { namespace }),
    name: 'p',
    ...(appliedTo === undefined ? {} : { appliedTo }),
    ingress,
    egress,
  };
}

function check(policy: AntreaPolicy, rows: Row[]): void {
  for (const [subject, direction, want] of rows) {
    assert.equal(
      antreaSelects(policy, subjects[subject], direction, nsLabels).tri,
      want,
      `${subject} ${direction}`,
    );
  }
}

describe('Antrea policies: which side of a flow they may select', () => {
  it('only directions with rules matter: Antrea-native policies do not isolate by themselves', () => {
    check(antrea(undefined, [{ podSelector: byApp('api') }], [{}], []), [
      ['prodApi', 'Ingress', 'yes'],
      ['prodApi', 'Egress', 'no'],
    ]);
    check(antrea(undefined, [{ podSelector: byApp('api') }], [], [{}]), [
      ['prodApi', 'Ingress', 'no'],
      ['prodApi', 'Egress', 'yes'],
    ]);
  });

  it('a ClusterNetworkPolicy podSelector spans namespaces; with a namespaceSelector the two AND', () => {
    check(antrea(undefined, [{ podSelector: byApp('api') }]), [
      ['prodApi', 'Ingress', 'yes'],
      ['devApi', 'Ingress', 'yes'],
      ['prodWeb', 'Ingress', 'no'],
    ]);
    check(
      antrea(undefined, [{ podSelector: byApp('api'), namespaceSelector: { matchLabels: { env: 'dev' } } }]),
      [
        ['devApi', 'Ingress', 'yes'],
        ['prodApi', 'Ingress', 'no'],
      ],
    );
    check(antrea(undefined, [{ namespaceSelector: { matchLabels: { env: 'prod' } } }]), [
      ['prodWeb', 'Ingress', 'yes'],
      ['devApi', 'Ingress', 'no'],
    ]);
  });

  it('a NetworkPolicy selects in its own namespace only', () => {
    check(antrea('prod', [{ podSelector: byApp('api') }]), [
      ['prodApi', 'Ingress', 'yes'],
      ['devApi', 'Ingress', 'no'],
    ]);
  });

  it('rule-level appliedTo decides per direction', () => {
    const p = antrea(
      undefined,
      undefined,
      [{ appliedTo: [{ podSelector: byApp('api') }] }],
      [{ appliedTo: [{ podSelector: byApp('web') }] }],
    );
    check(p, [
      ['prodApi', 'Ingress', 'yes'],
      ['prodApi', 'Egress', 'no'],
      ['prodWeb', 'Egress', 'yes'],
      ['prodWeb', 'Ingress', 'no'],
    ]);
  });

  it('groups and service accounts may select: flowprobe does not read their members', () => {
    check(antrea(undefined, [{ group: 'db-pods' }]), [
      ['prodApi', 'Ingress', 'unknown'],
      ['devApi', 'Ingress', 'unknown'],
    ]);
    check(antrea(undefined, [{ serviceAccount: { namespace: 'prod', name: 'api' } }]), [
      ['prodApi', 'Ingress', 'unknown'],
      ['devApi', 'Ingress', 'no'],
    ]);
  });

  it('host-network pods: never by pod selectors, maybe by a nodeSelector', () => {
    check(antrea(undefined, [{ podSelector: {} }]), [
      ['prodHost', 'Ingress', 'no'],
      ['outside', 'Ingress', 'no'],
    ]);
    check(antrea(undefined, [{ nodeSelector: {} }]), [
      ['prodHost', 'Ingress', 'unknown'],
      ['prodApi', 'Ingress', 'no'],
    ]);
  });

  it('NodePort services and external entities are not pods; no appliedTo at all may select anything', () => {
    check(antrea(undefined, [{ service: { namespace: 'prod', name: 'api' } }]), [
      ['prodApi', 'Ingress', 'no'],
    ]);
    check(antrea(undefined, [{ externalEntitySelector: {} }]), [['prodApi', 'Ingress', 'no']]);
    check(antrea(undefined, undefined), [['prodApi', 'Ingress', 'unknown']]);
  });
});
