// What the FAKE kubelet does with a container, decided from its spec alone (pure).
import type { V1Container } from '@kubernetes/client-node';

/** The image the FAKE resolver pod runs: the kubelet starts dnsmasq for it instead of pulling anything. */
export const FAKE_RESOLVER_IMAGE = 'fake.flowprobe.dev/dnsmasq:fake';

export type ContainerKind =
  | { kind: 'probe'; argv: string[] }
  | { kind: 'resolver' }
  | { kind: 'workload'; tcp: number[]; udp: number[] };

/**
 * A probe container runs `sh -c SCRIPT ...` (src/probe/command.ts); the resolver is recognised by its
 * image; anything else is a workload that listens on its declared ports (its command is not run).
 */
export function containerKind(c: V1Container): ContainerKind {
  const command = [...(c.command ?? []), ...(c.args ?? [])];
  if (command[0] === 'sh' && command[1] === '-c') return { kind: 'probe', argv: command };
  if (c.image === FAKE_RESOLVER_IMAGE) return { kind: 'resolver' };
  const ports = c.ports ?? [];
  const of = (protocol: string): number[] =>
    ports.filter((p) => (p.protocol ?? 'TCP') === protocol).map((p) => p.containerPort);
  return { kind: 'workload', tcp: of('TCP'), udp: of('UDP') };
}

/** Which images the FAKE can "pull". The default refuses names that say they do not exist. */
export type ImagePolicy = (image: string) => boolean;

export const defaultImagePolicy: ImagePolicy = (image) =>
  !/does-not-exist|\.invalid(\/|:|$)/.test(image) && image.trim() !== '';
