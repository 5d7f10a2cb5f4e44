// The whole resource's schema: the CRD's openAPIV3Schema, and what the validator checks a manifest against.
import { API_VERSION, KIND } from './types.js';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from './patterns.js';
import type { SchemaNode } from './schema-node.js';
import { SPEC_SCHEMA } from './spec-schema.js';
import { STATUS_SCHEMA } from './status-schema.js';

export const OBJECT_SCHEMA: SchemaNode = {
  type: 'object',
  description:
    'ConnectivityTest declares network flows that must be allowed or denied, and proves them with probe pods.',
  required: ['spec'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: SPEC_SCHEMA,
    status: STATUS_SCHEMA,
  },
};

/**
 * What a manifest must look like before `kubectl apply`: the CRD's schema plus what the API server checks
 * outside it (the object's name and namespace, https://kubernetes.io/docs/concepts/overview/working-with-objects/names/).
 * Status is not checked: the API server ignores it on create and update through the main resource.
 */
export const MANIFEST_SCHEMA: SchemaNode = {
  ...OBJECT_SCHEMA,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string', enum: [API_VERSION] },
    kind: { type: 'string', enum: [KIND] },
    metadata: {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: DNS1123_SUBDOMAIN.pattern, maxLength: DNS1123_SUBDOMAIN.maxLength },
        namespace: { type: 'string', pattern: DNS1123_LABEL.pattern, maxLength: DNS1123_LABEL.maxLength },
      },
    },
    spec: SPEC_SCHEMA,
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};
