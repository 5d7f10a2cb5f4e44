// Which sides of a flow a Cilium policy may select, per direction. Semantics from cilium/cilium's API
// types and policy parsing (cited in src/policy/out-of-model/cilium.ts).
import { strict as assert } from 'node:assert';
import { ciliumSelects, type CiliumPolicy, type CiliumRule } from '../../../src/policy/index.js';
import { byApp, nsLabels, subjects, type Row } from './helpers.js';

function rule(over: Partial<CiliumRule>): CiliumRule {
  return { ingress: 0, ingressDeny: 0, egress: 0, egressDeny: 0, defaultDeny: {}, ...over };
}

function cnp(namespace: string | undefined, ...rules: CiliumRule[]): CiliumPolicy {
  return {
    project: 'Cilium',
    apiVersion: 'cilium.io/v2',
    kind: namespace === undefined ? 'CiliumClusterwideNetworkPolicy' : 'CiliumNetworkPolicy',
    ...(namespace === undefined ? {} : { namespace }),
    name: 'p',
    rules,
  };
}

function check(policy: CiliumPolicy, rows: Row[]): void {
  for (const [subject, direction, want] of rows) {
    assert.equal(
      ciliumSelects(policy, subjects[subject], direction, nsLabels).tri,
      want,
      `${subject} ${direction}`,
    );
  }
}

describe('Cilium policies: which side of a flow they may select', () => {
  it('an ingress-only CiliumNetworkPolicy selects its namespace’s matching pods for ingress, never egress', () => {
    check(cnp('prod', rule({ endpointSelector: byApp('api'), ingress: 1 })), [
      ['prodApi', 'Ingress', 'yes'],
      ['prodApi', 'Egress', 'no'],
      ['prodWeb', 'Ingress', 'no'],
      ['devApi', 'Ingress', 'no'],
      ['prodHost', 'Ingress', 'no'],
      ['outside', 'Ingress', 'no'],
    ]);
  });

  it('ingressDeny counts as ingress; egress and egressDeny as egress', () => {
    check(cnp('prod', rule({ endpointSelector: byApp('api'), ingressDeny: 1 })), [
      ['prodApi', 'Ingress', 'yes'],
      ['prodApi', 'Egress', 'no'],
    ]);
    check(cnp('prod', rule({ endpointSelector: byApp('api'), egressDeny: 2 })), [
      ['prodApi', 'Ingress', 'no'],
      ['prodApi', 'Egress', 'yes'],
    ]);
  });

  it('a rule with no sections has no effect; an explicit enableDefaultDeny still counts', () => {
    check(cnp('prod', rule({ endpointSelector: {} })), [
      ['prodApi', 'Ingress', 'no'],
      ['prodApi', 'Egress', 'no'],
    ]);
    check(cnp('prod', rule({ endpointSelector: {}, ingress: 1, defaultDeny: { egress: true } })), [
      ['prodWeb', 'Ingress', 'yes'],
      ['prodWeb', 'Egress', 'yes'],
    ]);
  });

  it('a namespaced policy cannot reach into another namespace, even by naming it', () => {
    const other = { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'dev', app: 'api' } };
    check(cnp('prod', rule({ endpointSelector: other, ingress: 1 })), [
      ['prodApi', 'Ingress', 'yes'],
      ['devApi', 'Ingress', 'no'],
    ]);
  });

  it('a clusterwide policy selects across namespaces, by namespace name or namespace labels', () => {
    check(cnp(undefined, rule({ endpointSelector: byApp('api'), egress: 1 })), [
      ['prodApi', 'Egress', 'yes'],
      ['devApi', 'Egress', 'yes'],
      ['prodWeb', 'Egress', 'no'],
    ]);
    const inDev = { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'dev' } };
    check(cnp(undefined, rule({ endpointSelector: inDev, egress: 1 })), [
      ['devApi', 'Egress', 'yes'],
      ['prodApi', 'Egress', 'no'],
    ]);
    const prodLabels = {
      matchExpressions: [
        { key: 'io.cilium.k8s.namespace.labels.env', operator: 'In' as const, values: ['prod'] },
      ],
    };
    check(cnp(undefined, rule({ endpointSelector: prodLabels, egress: 1 })), [
      ['prodWeb', 'Egress', 'yes'],
      ['devApi', 'Egress', 'no'],
    ]);
  });

  it('`specs` rules are OR’ed, each with its own directions', () => {
    const p = cnp(
      'prod',
      rule({ endpointSelector: byApp('api'), ingress: 1 }),
      rule({ endpointSelector: byApp('web'), egress: 1 }),
    );
    check(p, [
      ['prodApi', 'Ingress', 'yes'],
      ['prodApi', 'Egress', 'no'],
      ['prodWeb', 'Egress', 'yes'],
      ['prodWeb', 'Ingress', 'no'],
    ]);
  });

  it('a nodeSelector selects nodes: maybe a host-network pod, never a pod-network pod', () => {
    check(cnp(undefined, rule({ nodeSelector: {}, ingress: 1 })), [
      ['prodHost', 'Ingress', 'unknown'],
      ['prodApi', 'Ingress', 'no'],
      ['outside', 'Ingress', 'no'],
    ]);
  });

  it('what flowprobe cannot see makes a selector "may select", never "does not select"', () => {
    const bySa = { matchLabels: { 'k8s:io.cilium.k8s.policy.serviceaccount': 'api' } };
    const reserved = { matchLabels: { 'reserved:host': '' } };
    check(cnp('prod', rule({ endpointSelector: bySa, ingress: 1 })), [
      ['prodApi', 'Ingress', 'unknown'],
      ['devApi', 'Ingress', 'no'],
    ]);
    check(cnp(undefined, rule({ endpointSelector: reserved, ingress: 1 })), [
      ['prodApi', 'Ingress', 'unknown'],
      ['prodHost', 'Ingress', 'unknown'],
    ]);
    // …unless something flowprobe does see already rules the pod out.
    const bySaAndApp = { matchLabels: { 'io.cilium.k8s.policy.serviceaccount': 'api', 'any:app': 'web' } };
    check(cnp('prod', rule({ endpointSelector: bySaAndApp, ingress: 1 })), [
      ['prodApi', 'Ingress', 'no'],
      ['prodWeb', 'Ingress', 'unknown'],
    ]);
  });
});
