// One ConnectivityTest for the prediction tests: prod/t, whose one flow `web-to-api` expects the identity
// `app=web` to reach the pods `app=api` on 8080.
import type { ConnectivityTest } from '../../src/api/types.js';

export const WEB_TO_API: ConnectivityTest = {
  apiVersion: 'flowprobe.dev/v1alpha1',
  kind: 'ConnectivityTest',
  metadata: { name: 't', namespace: 'prod' },
  spec: {
    flows: [
      {
        name: 'web-to-api',
        from: { labels: { app: 'web' } },
        to: { podSelector: { matchLabels: { app: 'api' } } },
        port: 8080,
        expect: 'Allowed',
      },
    ],
  },
};
