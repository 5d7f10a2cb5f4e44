// MicroTime, the wire format of events.k8s.io/v1 `eventTime` and of a Lease's times: RFC 3339 with six
// fractional digits. kube-apiserver rejects fewer (kubernetes/kubernetes#89156).
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
