export * from './types.js';
export { validateConnectivityTest, type Problem } from './validate.js';
export { withDefaults, applyDefaults } from './defaults.js';
export { SPEC_SCHEMA, MAX_FLOWS, DEFAULT_TIMEOUT_SECONDS } from './spec-schema.js';
export { STATUS_SCHEMA } from './status-schema.js';
export { OBJECT_SCHEMA, MANIFEST_SCHEMA } from './object-schema.js';
export { CEL_RULES, MIN_INTERVAL_SECONDS } from './cel-rules.js';
export { connectivityTestCrd, CRD_NAME } from './crd.js';
export { renderCrdYaml, CRD_FILE } from './crd-yaml.js';
export { intervalSeconds } from './duration.js';
export { validateClusterConnectivityTest } from './validate-cluster.js';
export {
  CLUSTER_SPEC_SCHEMA,
  CLUSTER_MANIFEST_SCHEMA,
  DEFAULT_MAX_NAMESPACES,
  MAX_NAMESPACES,
} from './cluster-schema.js';
export { clusterConnectivityTestCrd, CLUSTER_CRD_NAME } from './crd.js';
export { renderClusterCrdYaml, CLUSTER_CRD_FILE } from './crd-yaml.js';
