/**
 * What the disruption controller reads that the rest of the fake did not need: apps/v1 ReplicaSets (with
 * `scale`, scale-subresource.ts) and policy/v1 PodDisruptionBudgets (with `status`, which the controller
 * writes). Stored and served only: no ReplicaSet controller makes pods, and PDB status is computed by the
 * FAKE disruption controller of ../fake-cluster/ when a test asks it to.
 */
import type { ResourceDef } from './resources.js';

const served = {
  version: 'v1',
  otherVersions: [],
  namespaced: true,
  log: false,
  status: true,
  generation: true,
};

/** Short names and categories as kube-apiserver's discovery lists them. */
export function disruptionResources(): ResourceDef[] {
  return [
    {
      ...served,
      group: 'apps',
      plural: 'replicasets',
      singular: 'replicaset',
      kind: 'ReplicaSet',
      shortNames: ['rs'],
      categories: ['all'],
    },
    {
      ...served,
      group: 'policy',
      plural: 'poddisruptionbudgets',
      singular: 'poddisruptionbudget',
      kind: 'PodDisruptionBudget',
      shortNames: ['pdb'],
      categories: [],
    },
  ];
}
