export { FakeApiServer, type FakeApiServerOptions } from './fake-apiserver.js';
export { ADMIN, serviceAccountUser } from './authentication.js';
export type { FailSpec, RequestMatch } from './faults.js';
export type { UsageRecord } from './rbac.js';
export type { LoggedRequest } from './request-log.js';
export type { Grant, RbacReport } from './rbac-report.js';
export type { KubeObject } from './types.js';
export { selfSignedCert } from './self-signed-cert.js';
