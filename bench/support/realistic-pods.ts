// Pods as kube-apiserver serves them in a large cluster (for the heap benchmarks): managed fields of the
// controller manager and the kubelet, two containers with ports, probes, resources and a projected token
// volume, eight labels of which one is the ReplicaSet's pod-template-hash, and a status with conditions,
// podIP(s) and container statuses. Each pod is parsed from its own JSON text, as a list or watch hands it
// over, so no string is shared that the wire would not share.

export const PODS_PER_REPLICASET = 5;
export const REPLICASETS_PER_NAMESPACE = 4;
export const PODS_PER_NAMESPACE = PODS_PER_REPLICASET * REPLICASETS_PER_NAMESPACE;

export function namespaceOf(i: number): string {
  return `team-${String(Math.floor(i / PODS_PER_NAMESPACE)).padStart(5, '0')}`;
}

/** The i-th pod's IPv4 address inside 10.0.0.0/8 (text). */
export function podIp(i: number): string {
  const n = i + 1;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

function hex(n: number, len: number): string {
  return (n >>> 0).toString(16).padStart(len, '0').slice(-len);
}

/** The i-th pod of the cluster, as JSON text; `rv` is its resourceVersion. */
export function realisticPodJson(i: number, rv = 1000 + i, extraLabels: Record<string, string> = {}): string {
  const namespace = namespaceOf(i);
  const inNs = i % PODS_PER_NAMESPACE;
  const rs = Math.floor(inNs / PODS_PER_REPLICASET);
  const app = `service-${rs}`;
  const hash = hex(Math.imul(rs + 1, 2654435761) ^ Math.imul(Math.floor(i / PODS_PER_NAMESPACE), 40503), 10);
  const name = `${app}-${hash}-${hex(Math.imul(i + 7, 2246822519), 5)}`;
  const ip = podIp(i);
  const time = '2026-11-24T10:00:00Z';
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${app}-${hash}-`,
      namespace,
      uid: `${hex(i, 8)}-1a2b-4c3d-8e9f-${hex(Math.imul(i, 31), 12)}`,
      resourceVersion: String(rv),
      creationTimestamp: time,
      labels: {
        app,
        'app.kubernetes.io/name': app,
        'app.kubernetes.io/instance': `${app}-prod`,
        'app.kubernetes.io/part-of': 'shop',
        'app.kubernetes.io/version': '1.42.0',
        tier: rs % 2 === 0 ? 'frontend' : 'backend',
        team: namespace,
        'pod-template-hash': hash,
        ...extraLabels,
      },
      annotations: {
        'kubectl.kubernetes.io/restartedAt': time,
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9090',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${app}-${hash}`,
          uid: `rs-${hex(rs, 8)}-${hex(i >> 5, 8)}`,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: [
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'v1',
          time,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': {
              'f:generateName': {},
              'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {}, 'f:tier': {}, 'f:team': {} },
              'f:ownerReferences': { '.': {}, [`k:{"uid":"rs-${hex(rs, 8)}"}`]: {} },
            },
            'f:spec': {
              'f:containers': {
                'k:{"name":"app"}': {
                  '.': {},
                  'f:image': {},
                  'f:ports': {
                    '.': {},
                    'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:name': {} },
                  },
                  'f:resources': { '.': {}, 'f:limits': {}, 'f:requests': {} },
                },
                'k:{"name":"sidecar"}': { '.': {}, 'f:image': {}, 'f:ports': {} },
              },
              'f:serviceAccountName': {},
              'f:terminationGracePeriodSeconds': {},
            },
          },
        },
        {
          manager: 'kubelet',
          operation: 'Update',
          apiVersion: 'v1',
          time,
          fieldsType: 'FieldsV1',
          subresource: 'status',
          fieldsV1: {
            'f:status': {
              'f:conditions': {
                'k:{"type":"ContainersReady"}': { '.': {}, 'f:status': {}, 'f:type': {} },
                'k:{"type":"Initialized"}': { '.': {}, 'f:status': {}, 'f:type': {} },
                'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} },
              },
              'f:containerStatuses': {},
              'f:hostIP': {},
              'f:phase': {},
              'f:podIP': {},
              'f:podIPs': { '.': {}, [`k:{"ip":"${ip}"}`]: { '.': {}, 'f:ip': {} } },
              'f:startTime': {},
            },
          },
        },
      ],
    },
    spec: {
      serviceAccountName: app,
      nodeName: `node-${i % 500}`,
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: 'app',
          image: `registry.example.com/shop/${app}:1.42.0`,
          ports: [
            { name: 'http', containerPort: 8080, protocol: 'TCP' },
            { name: 'grpc', containerPort: 9000, protocol: 'TCP' },
          ],
          env: [
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
          ],
          resources: { limits: { memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 10 },
          volumeMounts: [
            {
              name: 'kube-api-access',
              mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
              readOnly: true,
            },
          ],
        },
        {
          name: 'sidecar',
          image: 'registry.example.com/mesh/proxy:1.20.3',
          ports: [{ name: 'metrics', containerPort: 9090, protocol: 'TCP' }],
          resources: { limits: { memory: '64Mi' }, requests: { cpu: '10m', memory: '32Mi' } },
        },
      ],
      volumes: [
        {
          name: 'kube-api-access',
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            ],
          },
        },
      ],
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: time },
        { type: 'Initialized', status: 'True', lastTransitionTime: time },
        { type: 'Ready', status: 'True', lastTransitionTime: time },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: time },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: time },
      ],
      hostIP: `192.168.${(i % 500) >> 8}.${(i % 500) & 255}`,
      podIP: ip,
      podIPs: [{ ip }],
      startTime: time,
      qosClass: 'Burstable',
      containerStatuses: ['app', 'sidecar'].map((c) => ({
        name: c,
        ready: true,
        restartCount: 0,
        started: true,
        image: `registry.example.com/${c}:1`,
        imageID: `registry.example.com/${c}@sha256:${hex(i, 8)}${'0'.repeat(56)}`,
        containerID: `containerd://${hex(Math.imul(i, 97), 8)}${'a'.repeat(56)}`,
        state: { running: { startedAt: time } },
      })),
    },
  };
  return JSON.stringify(pod);
}
