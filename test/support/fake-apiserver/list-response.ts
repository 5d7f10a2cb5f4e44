/**
 * A LIST response written item by item, as kube-apiserver 1.33+ encodes collections (KEP-5116, streaming
 * JSON encoding for LIST responses: beta and on by default in 1.33, GA in 1.34; "Kubernetes v1.33:
 * Streaming List responses", kubernetes.io/blog/2025/05/09). The body is the same JSON as one
 * `JSON.stringify` of the list, sent chunked without a Content-Length, so a list larger than one V8 string
 * (~512 MiB: 100,000 real pods) is served as a real server serves it, and the server never holds the whole
 * body at once. A client that goes away ends the writing.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';

export interface ListBody {
  kind: string;
  apiVersion: string;
  metadata: Record<string, unknown>;
  items: unknown[];
}

export async function sendList(res: ServerResponse, list: ListBody): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const head = { kind: list.kind, apiVersion: list.apiVersion, metadata: list.metadata };
  const open = JSON.stringify(head).slice(0, -1);
  if (!res.write(`${open},"items":[`)) await drained(res);
  for (let i = 0; i < list.items.length; i++) {
    if (res.destroyed) return;
    if (!res.write((i === 0 ? '' : ',') + JSON.stringify(list.items[i]))) await drained(res);
  }
  res.end(']}');
}

/** Waits until the socket takes more, or the client has gone (then the loop above stops). */
async function drained(res: ServerResponse): Promise<void> {
  await Promise.race([once(res, 'drain'), once(res, 'close')]);
}
