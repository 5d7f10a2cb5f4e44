// Explain from YAML text in memory: the loader's parser and the real validator, no files.
import { validateConnectivityTest } from '../../src/api/validate.js';
import {
  explainObjects,
  type ExplainOutcome,
  type ExplainReport,
  type FlowExplanation,
} from '../../src/explain/index.js';
import { parseDocuments } from '../../src/manifest/parse-documents.js';

export function explainYaml(...docs: string[]): ExplainOutcome {
  return explainObjects(parseDocuments('input.yaml', docs.join('\n---\n')), validateConnectivityTest);
}

export function report(...docs: string[]): ExplainReport {
  const outcome = explainYaml(...docs);
  if ('errors' in outcome) throw new Error(outcome.errors.map((e) => e.message).join('\n'));
  return outcome.report;
}

export function result(r: ExplainReport, flow: string): FlowExplanation {
  const hit = r.results.find((x) => x.flow === flow);
  if (hit === undefined) throw new Error(`no result for ${flow}`);
  return hit;
}

/** A ConnectivityTest in `namespace` with the given flows (YAML flow mappings, one per line). */
export function ctest(namespace: string, ...flows: string[]): string {
  return `apiVersion: flowprobe.dev/v1alpha1
kind: ConnectivityTest
metadata: { name: t, namespace: ${namespace} }
spec:
  flows:
${flows.map((f) => `    - ${f}`).join('\n')}`;
}

export function deployment(
  namespace: string,
  name: string,
  labels: string,
  ports = '[]',
  extra = '',
): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { matchLabels: ${labels} }
  template:
    metadata: { labels: ${labels} }
    spec:
      ${extra}
      containers: [{ name: c, image: x, ports: ${ports} }]`;
}

export function pod(namespace: string, name: string, labels: string, ip: string, ports = '[]'): string {
  return `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${namespace}, labels: ${labels} }
spec: { containers: [{ name: c, image: x, ports: ${ports} }] }
status: { podIP: ${ip} }`;
}

export function policy(namespace: string, name: string, spec: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: ${namespace} }
spec: ${spec}`;
}

export function service(namespace: string, name: string, spec: string): string {
  return `apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec: ${spec}`;
}
