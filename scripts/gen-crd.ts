// Writes crds/connectivitytests.flowprobe.dev.yaml from src/api (run: npm run gen:crd).
// test/api/crd.test.ts fails when the committed file differs from what this renders.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderCrdYaml, CRD_FILE } from '../src/api/crd-yaml.js';

const target = fileURLToPath(new URL(`../${CRD_FILE}`, import.meta.url));
await writeFile(target, renderCrdYaml());
console.log(`wrote ${CRD_FILE}`);
