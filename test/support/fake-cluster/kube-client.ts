/**
 * The real client library, re-exported for test/fake-cluster/ and scripts/dev-cluster.ts: eslint.config.js
 * lets only test/support/ (among these) import @kubernetes/client-node directly.
 */
export * from '@kubernetes/client-node';
