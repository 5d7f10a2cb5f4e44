// Which sides of a flow a Calico policy may select, per direction. Semantics from Calico's API types and
// docs (cited in src/policy/out-of-model/calico.ts).
import { strict as assert } from 'node:assert';
import { calicoSelects, calicoTypes, type CalicoPolicy } from '../../../src/policy/index.js';
import { nsLabels, subjects, type Row } from './helpers.js';

function calico(namespace: string | undefined, over: Partial<CalicoPolicy>): CalicoPolicy {
  return {
    project: 'Calico',
    apiVersion: 'projectcalico.org/v3',
    kind: namespace === undefined ? 'GlobalNetworkPolicy' : 'NetworkPolicy',
    ...(namespace === undefined ? {} : { namespace }),
    name: 'p',
    selector: '',
    types: ['Ingress'],
    applyOnForward: false,
    ...over,
  };
}

function check(policy: CalicoPolicy, rows: Row[]): void {
  for (const [subject, direction, want] of rows) {
    assert.equal(
      calicoSelects(policy, subjects[subject], direction, nsLabels).tri,
      want,
      `${subject} ${direction}`,
    );
  }
}

describe('Calico policies: which side of a flow they may select', () => {
  it('types defaults as the API documents: Ingress unless there are egress rules', () => {
    assert.deepEqual(calicoTypes(false, false), ['Ingress']);
    assert.deepEqual(calicoTypes(true, false), ['Ingress']);
    assert.deepEqual(calicoTypes(false, true), ['Egress']);
    assert.deepEqual(calicoTypes(true, true), ['Ingress', 'Egress']);
  });

  it('types: [Ingress] says nothing about the selected pods’ egress, and the other way round', () => {
    check(calico('prod', { selector: "app == 'api'", types: ['Ingress'] }), [
      ['prodApi', 'Ingress', 'yes'],
      ['prodApi', 'Egress', 'no'],
    ]);
    check(calico('prod', { selector: "app == 'api'", types: ['Egress'] }), [
      ['prodApi', 'Ingress', 'no'],
      ['prodApi', 'Egress', 'yes'],
    ]);
  });

  it('a NetworkPolicy applies to workload endpoints of its own namespace only', () => {
    check(calico('prod', { selector: 'all()', types: ['Ingress', 'Egress'] }), [
      ['prodApi', 'Ingress', 'yes'],
      ['prodWeb', 'Egress', 'yes'],
      ['devApi', 'Ingress', 'no'],
      ['prodHost', 'Ingress', 'no'],
      ['outside', 'Ingress', 'no'],
    ]);
  });

  it('selectors see Calico’s own endpoint labels (namespace, orchestrator)', () => {
    check(calico(undefined, { selector: "projectcalico.org/namespace == 'dev'" }), [
      ['devApi', 'Ingress', 'yes'],
      ['prodApi', 'Ingress', 'no'],
    ]);
    check(calico(undefined, { selector: "projectcalico.org/orchestrator == 'k8s' && app == 'web'" }), [
      ['prodWeb', 'Ingress', 'yes'],
      ['prodApi', 'Ingress', 'no'],
    ]);
  });

  it('a GlobalNetworkPolicy’s namespaceSelector reads namespace labels and projectcalico.org/name', () => {
    check(calico(undefined, { selector: "app == 'api'", namespaceSelector: "env == 'prod'" }), [
      ['prodApi', 'Ingress', 'yes'],
      ['devApi', 'Ingress', 'no'],
    ]);
    check(calico(undefined, { namespaceSelector: "projectcalico.org/name in {'dev'}" }), [
      ['devApi', 'Ingress', 'yes'],
      ['prodWeb', 'Ingress', 'no'],
    ]);
  });

  it('an unparseable or unsupported selector may select, unless another field rules the pod out', () => {
    check(calico(undefined, { selector: "app starts with 'a'" }), [
      ['prodApi', 'Ingress', 'unknown'],
      ['prodWeb', 'Ingress', 'unknown'],
    ]);
    check(calico(undefined, { selector: "app starts with 'a'", namespaceSelector: "env == 'dev'" }), [
      ['devApi', 'Ingress', 'unknown'],
      ['prodApi', 'Ingress', 'no'],
    ]);
  });

  it('a serviceAccountSelector or service-account label may select; flowprobe does not know accounts', () => {
    check(calico('prod', { serviceAccountSelector: "name == 'api'" }), [
      ['prodApi', 'Ingress', 'unknown'],
      ['devApi', 'Ingress', 'no'],
    ]);
    check(calico('prod', { selector: "has(projectcalico.org/serviceaccount) && app == 'api'" }), [
      ['prodApi', 'Ingress', 'unknown'],
      ['prodWeb', 'Ingress', 'no'],
    ]);
  });

  it('host endpoints: a GlobalNetworkPolicy may select a host-network pod’s node', () => {
    check(calico(undefined, { selector: "app == 'nothing-has-this'" }), [
      ['prodHost', 'Ingress', 'unknown'],
      ['prodApi', 'Ingress', 'no'],
    ]);
  });

  it('applyOnForward (preDNAT, doNotTrack) may decide any forwarded flow in its types', () => {
    check(calico(undefined, { selector: "app == 'nothing-has-this'", applyOnForward: true }), [
      ['prodApi', 'Ingress', 'unknown'],
      ['prodApi', 'Egress', 'no'],
      ['outside', 'Ingress', 'no'],
    ]);
  });
});
