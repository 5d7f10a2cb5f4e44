// One realistic pod of the scale benchmark's cluster, as kube-apiserver returns a running Deployment pod:
// managedFields of the controller manager and the kubelet, two or three containers with ports, env,
// resources, probes and mounts, 5-10 labels, a ReplicaSet owner, and a Running status with conditions,
// container statuses and podIPs. Deterministic: pod `index` of a seed is the same object on every run
// (each pod has its own generator, so any pod can be made without making those before it).
import { SeededRandom } from './seeded-random.js';

/** The apps of every namespace; pod i of a namespace belongs to APPS[i % APPS.length]. */
export const APPS = ['web', 'api', 'worker', 'cache'] as const;
export const HTTP_PORT = 8080;
export const METRICS_PORT = 9090;
/** Every pod runs as a node other than the FAKE kubelet's: these pods are data, nothing runs them. */
const NODES = 200;
const CREATED = '2026-11-02T08:00:00Z';

type Json = Record<string, unknown>;

export interface PodPlace {
  /** Global index, 0-based. */
  index: number;
  namespace: string;
  /** Index within the namespace. */
  slot: number;
}

/**
 * Five characters of the alphabet kube-apiserver's generateName draws from (apimachinery
 * util/rand.String), distinct for every slot of a namespace: 5 random hex characters collided about once
 * in 100,000 pods, and a second pod of one name is refused.
 */
export function podSuffix(slot: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  // Multiplying by a number prime to 27 permutes 0..27^5-1: distinct slots, random-looking names.
  let n = (slot * 1_000_003 + 4_243) % 27 ** 5;
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += alphabet[n % 27] ?? 'b';
    n = Math.floor(n / 27);
  }
  return out;
}

/** 10.64.0.0/10: room for 4M pods, far from the FAKE cluster's own 10.252.0.0/16. Never dialled. */
export function podIp(index: number): string {
  return `10.${64 + (index >>> 16)}.${(index >>> 8) & 255}.${index & 255}`;
}

export function appOf(slot: number): (typeof APPS)[number] {
  return APPS[slot % APPS.length] ?? 'web';
}

/** The ReplicaSet of an app in a namespace: its name carries the pod-template-hash, as a Deployment's. */
export function replicaSetName(seed: number, namespaceIndex: number, app: string): string {
  const hash = new SeededRandom(
    seed * 7919 + namespaceIndex * 16 + APPS.indexOf(app as (typeof APPS)[number]),
  )
    .hex(10)
    .replace(/^[0-9]/, 'b');
  return `${app}-${hash}`;
}

/**
 * `owner` is the pod's ReplicaSet, which must exist (its uid is the server's): the garbage collector
 * deletes a pod whose owners are all gone.
 */
export function scalePod(seed: number, place: PodPlace, owner: { name: string; uid: string }): Json {
  const rnd = new SeededRandom(seed * 1_000_003 + place.index);
  const app = appOf(place.slot);
  const hash = owner.name.slice(app.length + 1);
  const containers = podContainers(rnd, app, place.namespace);
  const node = `node-${String(rnd.int(0, NODES - 1)).padStart(3, '0')}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${owner.name}-${podSuffix(place.slot)}`,
      generateName: `${owner.name}-`,
      namespace: place.namespace,
      labels: podLabels(rnd, app, place.namespace, hash),
      annotations: { 'kubectl.kubernetes.io/restartedAt': CREATED },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: owner.name,
          uid: owner.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: managedFields(containers),
    },
    spec: podSpec(containers, node),
    status: podStatus(rnd, containers, podIp(place.index)),
  };
}

function podLabels(rnd: SeededRandom, app: string, namespace: string, hash: string): Record<string, string> {
  const labels: Record<string, string> = {
    app,
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/instance': `${namespace}-${app}`,
    'pod-template-hash': hash,
    team: namespace,
  };
  const optional: [string, string][] = [
    ['app.kubernetes.io/component', app === 'web' ? 'frontend' : 'backend'],
    ['app.kubernetes.io/part-of', 'shop'],
    ['app.kubernetes.io/version', `1.${rnd.int(0, 40)}.${rnd.int(0, 9)}`],
    ['environment', rnd.pick(['production', 'staging'])],
    ['security.istio.io/tlsMode', 'istio'],
  ];
  for (const [k, v] of optional.slice(0, rnd.int(0, optional.length))) labels[k] = v;
  return labels;
}

function podContainers(rnd: SeededRandom, app: string, namespace: string): Json[] {
  const main = {
    name: app,
    image: `registry.example/${namespace}/${app}:1.${rnd.int(0, 40)}.${rnd.int(0, 9)}`,
    imagePullPolicy: 'IfNotPresent',
    ports: [
      { name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' },
      { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
    ],
    env: [
      ...['LOG_LEVEL', 'FEATURE_FLAGS', 'UPSTREAM_URL', 'CACHE_TTL'].map((name) => ({
        name,
        value: `${name.toLowerCase()}-${rnd.hex(8)}`,
      })),
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
    ],
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    livenessProbe: httpProbe('/healthz', 20),
    readinessProbe: httpProbe('/ready', 10),
    volumeMounts: [
      { name: 'config', mountPath: '/etc/app', readOnly: true },
      { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
    ],
    ...containerDefaults(),
  };
  const proxy = {
    name: 'proxy',
    image: 'registry.example/mesh/proxy:1.24.2',
    args: ['proxy', 'sidecar', '--concurrency', '2', '--log-level', 'warning'],
    ports: [
      { name: 'mesh-inbound', containerPort: 15006, protocol: 'TCP' },
      { name: 'http-envoy-prom', containerPort: 15090, protocol: 'TCP' },
    ],
    env: [
      {
        name: 'SERVICE_ACCOUNT',
        valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.serviceAccountName' } },
      },
      { name: 'PROXY_CONFIG', value: '{"holdApplicationUntilProxyStarts":true}' },
    ],
    resources: { requests: { cpu: '10m', memory: '40Mi' }, limits: { cpu: '2', memory: '1Gi' } },
    ...containerDefaults(),
  };
  const shipper = {
    name: 'log-shipper',
    image: 'registry.example/logging/shipper:3.1.0',
    env: [{ name: 'SHIP_TO', value: 'logs.logging.svc:24224' }],
    resources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { memory: '64Mi' } },
    ...containerDefaults(),
  };
  return rnd.next() < 0.5 ? [main, proxy] : [main, proxy, shipper];
}

function httpProbe(path: string, period: number): Json {
  return {
    httpGet: { path, port: HTTP_PORT, scheme: 'HTTP' },
    periodSeconds: period,
    timeoutSeconds: 1,
    successThreshold: 1,
    failureThreshold: 3,
  };
}

function containerDefaults(): Json {
  return {
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  };
}

function podSpec(containers: Json[], node: string): Json {
  return {
    containers,
    volumes: [
      { name: 'config', configMap: { name: 'app-config', defaultMode: 420 } },
      {
        name: 'kube-api-access',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          ],
        },
      },
    ],
    nodeName: node,
    serviceAccountName: 'default',
    serviceAccount: 'default',
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    terminationGracePeriodSeconds: 30,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
    priority: 0,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    tolerations: [
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ],
  };
}

function podStatus(rnd: SeededRandom, containers: Json[], ip: string): Json {
  const hostIP = `172.18.${rnd.int(0, 3)}.${rnd.int(2, 250)}`;
  const condition = (type: string) => ({ type, status: 'True', lastTransitionTime: CREATED });
  return {
    phase: 'Running',
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
      condition,
    ),
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: CREATED,
    qosClass: 'Burstable',
    containerStatuses: containers.map((c) => ({
      name: c.name,
      ready: true,
      started: true,
      restartCount: 0,
      image: c.image,
      imageID: `${String(c.image).split(':')[0]}@sha256:${rnd.hex(64)}`,
      containerID: `containerd://${rnd.hex(64)}`,
      state: { running: { startedAt: CREATED } },
      lastState: {},
    })),
  };
}

/**
 * The managedFields kube-apiserver keeps for a Deployment pod: the controller manager's Update of metadata
 * and spec, and the kubelet's Update of status. fieldsV1 names every field set, so its size follows the
 * spec's, as on a real server (where it is often the larger part of a pod).
 */
function managedFields(containers: Json[]): Json[] {
  const fieldsOf = (obj: unknown): Json => {
    if (typeof obj !== 'object' || obj === null) return {};
    if (Array.isArray(obj)) {
      // A list of scalars is atomic (`f:args: {}`); a list of objects is a map keyed by name or port.
      const out: Json = {};
      for (const item of obj as unknown[]) {
        if (typeof item !== 'object' || item === null) return {};
        const key =
          'name' in item ? { name: (item as Json).name } : { containerPort: (item as Json).containerPort };
        out[`k:${JSON.stringify(key)}`] = { '.': {}, ...fieldsOf(item) };
      }
      return out;
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [`f:${k}`, fieldsOf(v)]));
  };
  const entry = (manager: string, fields: Json, subresource?: string): Json => ({
    manager,
    operation: 'Update',
    apiVersion: 'v1',
    time: CREATED,
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
    ...(subresource ? { subresource } : {}),
  });
  return [
    entry('kube-controller-manager', {
      'f:metadata': { 'f:generateName': {}, 'f:labels': {}, 'f:ownerReferences': {} },
      'f:spec': { 'f:containers': fieldsOf(containers), 'f:dnsPolicy': {}, 'f:volumes': {} },
    }),
    entry(
      'kubelet',
      {
        'f:status': {
          'f:conditions': {},
          'f:containerStatuses': {},
          'f:hostIP': {},
          'f:podIP': {},
          'f:podIPs': {},
          'f:startTime': {},
        },
      },
      'status',
    ),
  ];
}
