// The ConnectivityTest CustomResourceDefinition, built from the schema; scripts/gen-crd.ts writes it to
// crds/. https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
import { OBJECT_SCHEMA } from './object-schema.js';
import { toOpenApi, type Json } from './openapi.js';
import { SCALE_SUBRESOURCE } from './scale.js';
import { CLUSTER_OBJECT_SCHEMA } from './cluster-schema.js';
import { CLUSTER_KIND, CLUSTER_PLURAL, GROUP, KIND, PLURAL, VERSION } from './types.js';

const passing = (field: string): string => `.status.conditions[?(@.type=="Passing")].${field}`;

/** Columns that make `kubectl get ctest` a dashboard; priority 1 shows only with `-o wide`. */
export const PRINTER_COLUMNS: Json[] = [
  { name: 'Flows', type: 'integer', jsonPath: '.status.summary.flows' },
  { name: 'Passed', type: 'integer', jsonPath: '.status.summary.passed' },
  { name: 'Failed', type: 'integer', jsonPath: '.status.summary.failed' },
  // Errors and Suspended show by default: a test whose flows cannot be probed, or that runs nothing, must
  // not look healthy at a glance (DESIGN.md, "Never silent").
  { name: 'Errors', type: 'integer', jsonPath: '.status.summary.errors' },
  { name: 'Passing', type: 'string', jsonPath: passing('status') },
  { name: 'Reason', type: 'string', jsonPath: passing('reason') },
  { name: 'Interval', type: 'string', jsonPath: '.spec.interval', priority: 1 },
  { name: 'Suspended', type: 'boolean', jsonPath: '.spec.suspend' },
  { name: 'Last Run', type: 'date', jsonPath: '.status.lastRunTime' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

export const CRD_NAME = `${PLURAL}.${GROUP}`;

export function connectivityTestCrd(): { [key: string]: Json } {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: CRD_NAME, labels: { 'app.kubernetes.io/name': 'flowprobe' } },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: {
        kind: KIND,
        listKind: `${KIND}List`,
        plural: PLURAL,
        singular: KIND.toLowerCase(),
        shortNames: ['ctest', 'conntest'],
        categories: ['flowprobe'],
      },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: toOpenApi(OBJECT_SCHEMA) },
          // scale: for PodDisruptionBudgets over the labels a probe pod borrows (scale.ts).
          subresources: { status: {}, scale: SCALE_SUBRESOURCE },
          additionalPrinterColumns: PRINTER_COLUMNS,
        },
      ],
    },
  };
}

export const CLUSTER_CRD_NAME = `${CLUSTER_PLURAL}.${GROUP}`;

/** `kubectl get cctest` adds how many namespaces matched and how many were probed. */
const CLUSTER_PRINTER_COLUMNS: Json[] = [
  { name: 'Namespaces', type: 'integer', jsonPath: '.status.namespaces.matched' },
  { name: 'Probed', type: 'string', jsonPath: '.status.namespaces.probed', priority: 1 },
  ...PRINTER_COLUMNS,
];

/**
 * The cluster-scoped ClusterConnectivityTest: the same flow schema (cluster-schema.ts), its own names, and
 * the scale subresource too, as ConnectivityTest has it (`kubectl scale` is refused alike). It does not keep
 * PodDisruptionBudgets computing as it does for a ConnectivityTest (scale.ts): the disruption controller
 * looks a pod's controller up in the pod's own namespace (kubernetes pkg/controller/disruption/
 * disruption.go, getExpectedScale passes pod.Namespace; getScaleController reads
 * Scales(namespace).Get), where a cluster-scoped owner is NotFound: "found no controllers", failSafe, so
 * a budget with maxUnavailable or a percentage over the borrowed labels allows 0 disruptions while a
 * probe pod lives (test/plan/disruption-budgets.test.ts; the README says so).
 */
export function clusterConnectivityTestCrd(): { [key: string]: Json } {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: CLUSTER_CRD_NAME, labels: { 'app.kubernetes.io/name': 'flowprobe' } },
    spec: {
      group: GROUP,
      scope: 'Cluster',
      names: {
        kind: CLUSTER_KIND,
        listKind: `${CLUSTER_KIND}List`,
        plural: CLUSTER_PLURAL,
        singular: CLUSTER_KIND.toLowerCase(),
        shortNames: ['cctest'],
        categories: ['flowprobe'],
      },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: toOpenApi(CLUSTER_OBJECT_SCHEMA) },
          subresources: { status: {}, scale: SCALE_SUBRESOURCE },
          additionalPrinterColumns: CLUSTER_PRINTER_COLUMNS,
        },
      ],
    },
  };
}
