// Whether pods can run for real here (root, ip, nft, dnsmasq, an official-image busybox: netlab's
// detection), and what to do when they cannot: fall back to the declared outcome table and say so in
// the test output — unless FLOWPROBE_REQUIRE_NETNS=1, where a missing prerequisite is a failure.
import { findTools, type Tools } from '../netlab/prereqs.js';

export class MissingPrerequisitesError extends Error {
  override readonly name = 'MissingPrerequisitesError';
}

export type Prerequisites = { real: true; tools: Tools } | { real: false; missing: string[] };

export function detectPrerequisites(env: NodeJS.ProcessEnv = process.env): Prerequisites {
  const found = findTools();
  if (!Array.isArray(found)) return { real: true, tools: found };
  if (env.FLOWPROBE_REQUIRE_NETNS === '1') {
    throw new MissingPrerequisitesError(
      `FAKE kubelet: cannot run pods for real, missing ${found.join('; ')} (FLOWPROBE_REQUIRE_NETNS=1)`,
    );
  }
  return { real: false, missing: found };
}
