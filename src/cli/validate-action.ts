// What `flowprobe validate` does once its flags are parsed (validate.ts declares them): every schema and
// semantic problem in the ConnectivityTests and ClusterConnectivityTests of some manifests, with the field
// path, before `kubectl apply` would refuse them.
import { validateConnectivityTest, type Problem } from '../api/validate.js';
import { validateClusterConnectivityTest } from '../api/validate-cluster.js';
import { clusterConnectivityTests } from '../manifest/cluster-connectivity-tests.js';
import { connectivityTests } from '../manifest/connectivity-tests.js';
import { loadManifests, ManifestError, type SourcedObject } from '../manifest/load.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes.js';

export interface ValidateOptions {
  filename: string[];
}

export async function validateCommand(paths: string[]): Promise<number> {
  let objects: SourcedObject[];
  let tests: SourcedObject[];
  let clusterTests: SourcedObject[];
  try {
    objects = await loadManifests(paths);
    tests = connectivityTests(objects, paths);
    clusterTests = clusterConnectivityTests(objects);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const found = [
    ...tests.map((t) => validateConnectivityTest(t.object).map((p) => formatProblem(t, p))),
    ...clusterTests.map((t) => validateClusterConnectivityTest(t.object).map((p) => formatProblem(t, p))),
  ];
  const lines = found.flat();
  const invalid = found.filter((problems) => problems.length > 0).length;
  const counts = { tests: tests.length, clusterTests: clusterTests.length };
  process.stdout.write([...lines, summary(counts, objects.length, lines.length, invalid)].join('\n') + '\n');
  return lines.length === 0 ? EXIT_OK : EXIT_FAILED;
}

/** `file: namespace/name: spec.flows[2].to.port: must be 1..65535` */
function formatProblem({ file, index, object }: SourcedObject, problem: Problem): string {
  const { name, namespace } = object.metadata ?? {};
  const who =
    typeof name === 'string' ? (namespace ? `${namespace}/${name}` : name) : `document ${index + 1}`;
  return `${file}: ${who}: ${problem.path}: ${problem.message}`;
}

function summary(
  counts: { tests: number; clusterTests: number },
  objects: number,
  problems: number,
  invalid: number,
): string {
  const ignored = objects - counts.tests - counts.clusterTests;
  const others = ignored === 0 ? '' : ` (${plural(ignored, 'other object')} ignored)`;
  const cluster =
    counts.clusterTests === 0 ? '' : ` and ${plural(counts.clusterTests, 'ClusterConnectivityTest')}`;
  const what = `${plural(counts.tests, 'ConnectivityTest')}${cluster}`;
  if (problems === 0) return `OK: ${what} valid${others}`;
  return `FAILED: ${plural(problems, 'problem')} in ${invalid} of ${what}${others}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
