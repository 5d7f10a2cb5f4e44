// The object shapes the operator reads from the caches: plain wire JSON, typed only as far as we read it.
import type { ClusterConnectivityTest, ConnectivityTest } from '../api/types.js';

export interface Meta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
}

export interface WireObject {
  apiVersion?: string;
  kind?: string;
  metadata: Meta;
  [key: string]: unknown;
}

export interface ContainerStatus {
  name: string;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: { startedAt?: string };
    terminated?: { exitCode: number; reason?: string; message?: string };
  };
}

export interface PodObject extends WireObject {
  spec?: {
    hostNetwork?: boolean;
    serviceAccountName?: string;
    containers?: { name: string; ports?: unknown[] }[];
    nodeName?: string;
    tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
  };
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    podIP?: string;
    /** At most one address per family; the first equals podIP (dual-stack clusters set both). */
    podIPs?: { ip: string }[];
    reason?: string;
    message?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: ContainerStatus[];
  };
}

export type TestObject = ConnectivityTest & WireObject & { metadata: Meta };

export type ClusterTestObject = ClusterConnectivityTest & WireObject & { metadata: Meta };

export interface LeaseRecord {
  name: string;
  namespace: string;
  holder?: string;
  acquireTime?: Date;
  renewTime?: Date;
  leaseDurationSeconds?: number;
  transitions?: number;
  resourceVersion?: string;
}
