// Writes crds/connectivitytests.flowprobe.dev.yaml and crds/clusterconnectivitytests.flowprobe.dev.yaml from src/api (run: npm run gen:crd).
// test/api/crd.test.ts fails when the committed file differs from what this renders.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CLUSTER_CRD_FILE, renderClusterCrdYaml, renderCrdYaml, CRD_FILE } from '../src/api/crd-yaml.js';

for (const [file, render] of [
  [CRD_FILE, renderCrdYaml],
  [CLUSTER_CRD_FILE, renderClusterCrdYaml],
] as const) {
  await writeFile(fileURLToPath(new URL(`../${file}`, import.meta.url)), render());
  console.log(`wrote ${file}`);
}
