// JUnit XML for CI systems: one testsuite per ConnectivityTest, one testcase per flow. A Fail or Flaky
// verdict is a <failure> carrying the diagnosis; an Error verdict is an <error> (nothing was learned).
// Times are wall times, as CI systems show them next to the job's: a test's probe pods run in parallel,
// so a sum of the flows' durations would be far longer than the run took.
import type { FlowResult } from '../api/types.js';
import type { TestResults } from './test-results.js';

/** `wallMs`: the whole run, start to report. A testsuite's time is its test's, a testcase's its probe's. */
export function renderJUnit(tests: readonly TestResults[], wallMs: number): string {
  const all = tests.flatMap((t) => t.results);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="flowprobe" ${counts(all)} time="${seconds(wallMs)}">`,
    ...tests.flatMap(suite),
    '</testsuites>',
    '',
  ];
  return lines.join('\n');
}

function suite(t: TestResults): string[] {
  const name = `${t.namespace}/${t.test}`;
  return [
    `  <testsuite name="${xml(name)}" ${counts(t.results)} time="${seconds(t.durationMs)}">`,
    ...t.results.flatMap((r) => testcase(t, r)),
    '  </testsuite>',
  ];
}

function testcase(t: TestResults, r: FlowResult): string[] {
  const open = `    <testcase classname="${xml(`${t.namespace}.${t.test}`)}" name="${xml(r.flow)}" time="${seconds(r.durationMs ?? 0)}"`;
  const summary = `expected ${r.expected}, observed ${r.outcome} (${r.detail}), predicted ${r.predicted}`;
  if (r.verdict === 'Pass') return [`${open}/>`];
  const tag = r.verdict === 'Error' ? 'error' : 'failure';
  return [
    `${open}>`,
    `      <${tag} type="${r.verdict}" message="${xml(r.diagnosis)}">${xml(`${summary}\n${r.diagnosis}`)}</${tag}>`,
    '    </testcase>',
  ];
}

function counts(results: readonly FlowResult[]): string {
  const failures = results.filter((r) => r.verdict === 'Fail' || r.verdict === 'Flaky').length;
  const errors = results.filter((r) => r.verdict === 'Error').length;
  return `tests="${results.length}" failures="${failures}" errors="${errors}"`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry. */
export function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
