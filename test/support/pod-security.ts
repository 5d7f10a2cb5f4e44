// The Pod Security Standards' "restricted" profile as a test check, control by control, from
// https://kubernetes.io/docs/concepts/security/pod-security-standards/ (baseline controls included, since
// restricted builds on them). Returns one line per violated control; empty means the pod passes.
// This is a test of our manifests against the published profile, not an admission controller.

interface Container {
  name?: string;
  securityContext?: {
    privileged?: boolean;
    allowPrivilegeEscalation?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    capabilities?: { add?: string[]; drop?: string[] };
    seccompProfile?: { type?: string };
    procMount?: string;
  };
  ports?: { hostPort?: number }[];
}

interface PodLike {
  spec?: {
    hostNetwork?: boolean;
    hostPID?: boolean;
    hostIPC?: boolean;
    securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type?: string } };
    volumes?: Record<string, unknown>[];
    containers?: Container[];
    initContainers?: Container[];
  };
}

const RESTRICTED_VOLUMES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

export function restrictedViolations(pod: PodLike): string[] {
  const spec = pod.spec ?? {};
  const out: string[] = [];
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) out.push('host namespaces must not be shared');
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (!type || !RESTRICTED_VOLUMES.includes(type)) out.push(`volume type ${String(type)} is not allowed`);
  }
  const podSc = spec.securityContext ?? {};
  if (podSc.runAsUser === 0) out.push('pod runAsUser must not be 0');
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    out.push(...containerViolations(c, podSc).map((v) => `container ${c.name ?? '?'}: ${v}`));
  }
  return out;
}

function containerViolations(
  c: Container,
  podSc: NonNullable<PodLike['spec']>['securityContext'] & object,
): string[] {
  const sc = c.securityContext ?? {};
  const out: string[] = [];
  if (sc.privileged) out.push('must not be privileged');
  if ((c.ports ?? []).some((p) => p.hostPort)) out.push('must not use host ports');
  if (sc.procMount && sc.procMount !== 'Default') out.push('procMount must be Default');
  if (sc.allowPrivilegeEscalation !== false) out.push('allowPrivilegeEscalation must be false');
  if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) out.push('runAsNonRoot must be true');
  if (sc.runAsUser === 0) out.push('runAsUser must not be 0');
  const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
    out.push('seccompProfile must be RuntimeDefault or Localhost');
  if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push('capabilities must drop ALL');
  const added = (sc.capabilities?.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
  if (added.length > 0) out.push(`capabilities may add only NET_BIND_SERVICE, not ${added.join(',')}`);
  return out;
}
