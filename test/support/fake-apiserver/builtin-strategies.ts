/**
 * What kube-apiserver's per-type strategies do on create that clients observe (pkg/registry/core/{pod,namespace,service}/strategy.go):
 * a pod starts Pending, a namespace Active with the `kubernetes` finalizer, a service gets a cluster IP.
 */
import type { ResourceDef } from './resources.js';
import { isRecord, type KubeObject } from './types.js';

let nextServiceIp = 10;

function preparePod(obj: KubeObject): void {
  obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
  const spec = isRecord(obj.spec) ? obj.spec : {};
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.serviceAccountName ??= 'default';
  spec.terminationGracePeriodSeconds ??= 30;
  obj.spec = spec;
}

function prepareNamespace(obj: KubeObject): void {
  obj.spec = { finalizers: ['kubernetes'] };
  obj.status = { phase: 'Active' };
  obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name ?? '' };
}

/**
 * A Service that asks for both families (`ipFamilyPolicy: PreferDualStack | RequireDualStack`) gets a
 * cluster IP of each, as a dual-stack kube-apiserver allocates them (pkg/registry/core/service/storage/
 * alloc.go, `initIPFamilyFields`: clusterIPs one per family, the primary first, and ipFamilies to match).
 * This FAKE answers as a dual-stack cluster would; Services that do not ask stay as before.
 */
function allocateDualStack(spec: Record<string, unknown>, n: number): void {
  const policy = spec.ipFamilyPolicy;
  if (policy !== 'PreferDualStack' && policy !== 'RequireDualStack') return;
  const families = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : ['IPv4', 'IPv6'];
  const v6 = `fd00:96::${n.toString(16)}`;
  const v4 = spec.clusterIP as string;
  spec.clusterIPs = families[0] === 'IPv6' ? [v6, v4] : [v4, v6];
  spec.clusterIP = (spec.clusterIPs as string[])[0];
  spec.ipFamilies = families[0] === 'IPv6' ? ['IPv6', 'IPv4'] : ['IPv4', 'IPv6'];
}

function prepareService(obj: KubeObject): void {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  spec.type ??= 'ClusterIP';
  if (spec.clusterIP === undefined) {
    const ip = nextServiceIp++;
    spec.clusterIP = `10.96.${Math.floor(ip / 250)}.${ip % 250}`;
    spec.clusterIPs = [spec.clusterIP];
    allocateDualStack(spec, ip);
  }
  if (Array.isArray(spec.ports)) {
    for (const port of spec.ports) {
      if (!isRecord(port)) continue;
      port.protocol ??= 'TCP';
      port.targetPort ??= port.port ?? null;
    }
  }
  spec.sessionAffinity ??= 'None';
  obj.spec = spec;
  obj.status = { loadBalancer: {} };
}

/** PrepareForCreate of built-in types; custom resources are handled by custom-resources.ts. */
export function prepareBuiltinForCreate(def: ResourceDef, obj: KubeObject): void {
  if (def.group !== '') return;
  if (def.plural === 'pods') preparePod(obj);
  else if (def.plural === 'namespaces') prepareNamespace(obj);
  else if (def.plural === 'services') prepareService(obj);
}

/** The part of an object whose change moves metadata.generation (built-ins: spec). */
export function generationContent(def: ResourceDef, obj: KubeObject): unknown {
  if (def.crdName === undefined) return obj.spec;
  const { metadata: _m, status, ...rest } = obj;
  // Without a status subresource, status is part of the main resource and counts (CRD docs, "Status subresource").
  return def.status ? rest : { ...rest, status };
}
