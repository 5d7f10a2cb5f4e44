/**
 * The two size limits a write meets in a real cluster. kube-apiserver decodes a write body of at most
 * 3 MiB (k8s.io/apiserver pkg/server/config.go, MaxRequestBodyBytes: twice etcd's limit, as JSON shrinks
 * to protobuf) and answers 413 "Request entity too large: limit is 3145728" beyond it. etcd refuses a
 * request over 1.5 MiB (its --max-request-bytes default, etcd server/embed/config.go); kube-apiserver
 * passes that on as a 500 with etcd's own text (kubernetes/kubernetes#74600, #112152). Custom resources
 * are stored as JSON, so the JSON size of the object is what etcd sees.
 */
import { ApiStatusError } from './status-errors.js';
import type { KubeObject } from './types.js';

export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;
export const MAX_ETCD_REQUEST_BYTES = 1.5 * 1024 * 1024;

export function checkBodySize(body: string): void {
  if (Buffer.byteLength(body) > MAX_REQUEST_BODY_BYTES)
    throw new ApiStatusError(
      413,
      'RequestEntityTooLarge',
      `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`,
    );
}

export function checkStoredSize(obj: KubeObject): void {
  if (Buffer.byteLength(JSON.stringify(obj)) > MAX_ETCD_REQUEST_BYTES)
    throw new ApiStatusError(500, '', 'etcdserver: request is too large');
}
