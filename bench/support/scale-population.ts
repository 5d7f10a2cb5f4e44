// Fills a FAKE API server with the scale benchmark's cluster, as the admin and without HTTP (the same
// validation as over HTTP: kubernetes-models' schemas for built-ins). Objects are created one by one from
// the generators, so nothing but the server's store holds them.
import type { FakeApiServer, KubeObject } from '../../test/support/fake-apiserver/index.js';
import type { ScaleSize } from './scale-args.js';
import { scaleNamespaces, scalePods, scalePolicies, scaleReplicaSets } from './scale-cluster.js';

export interface Population {
  namespaces: number;
  replicaSets: number;
  pods: number;
  policies: number;
  /** Bytes of the pods' JSON, as a list would carry them. */
  podBytes: number;
  ms: number;
}

export async function populate(server: FakeApiServer, size: ScaleSize): Promise<Population> {
  const t0 = performance.now();
  const out: Population = { namespaces: 0, replicaSets: 0, pods: 0, policies: 0, podBytes: 0, ms: 0 };
  for (const ns of scaleNamespaces(size)) {
    await server.create(ns as KubeObject);
    out.namespaces++;
  }
  const uids = new Map<string, string>();
  for (const rs of scaleReplicaSets(size)) {
    const created = await server.create(rs as KubeObject);
    uids.set(
      `${created.metadata.namespace ?? ''}/${created.metadata.name ?? ''}`,
      created.metadata.uid ?? '',
    );
    out.replicaSets++;
  }
  const ownerUid = (namespace: string, name: string): string => {
    const uid = uids.get(`${namespace}/${name}`);
    if (uid === undefined) throw new Error(`no ReplicaSet ${namespace}/${name} was created`);
    return uid;
  };
  for (const pod of scalePods(size, ownerUid)) {
    out.podBytes += JSON.stringify(pod).length;
    // kube-apiserver drops the status sent with a create: the kubelet writes it afterwards.
    const created = await server.create(pod as KubeObject);
    await server.updateStatus({ ...created, status: pod.status });
    out.pods++;
  }
  for (const policy of scalePolicies(size)) {
    await server.create(policy as KubeObject);
    out.policies++;
  }
  out.ms = performance.now() - t0;
  return out;
}
