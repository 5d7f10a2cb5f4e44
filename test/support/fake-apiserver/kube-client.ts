/**
 * The real client library, re-exported for the fake's conformance tests: test/fake-apiserver/ is not among
 * the folders eslint.config.js lets import @kubernetes/client-node directly, test/support/ is.
 */
export * from '@kubernetes/client-node';
