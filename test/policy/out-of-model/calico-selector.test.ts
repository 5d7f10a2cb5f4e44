// Calico's selector expressions, the common subset flowprobe parses, against Calico's own grammar
// (projectcalico/calico @ 87c15906f20c, libcalico-go/lib/selector/parser/parser.go) — and everything
// else reported as unsupported, never guessed at.
import { strict as assert } from 'node:assert';
import { evaluateCalico, parseCalicoSelector } from '../../../src/policy/index.js';
import { knownLabels, UNSEEN, type LabelLookup } from '../../../src/policy/out-of-model/selection.js';

function evaluate(text: string, lookup: LabelLookup): string {
  const parsed = parseCalicoSelector(text);
  if ('unsupported' in parsed) return `unsupported: ${parsed.unsupported}`;
  return evaluateCalico(parsed.node, lookup).tri;
}

const web = knownLabels({ app: 'web', tier: 'front', 'example.com/team': 'a' });

describe('Calico selector expressions', () => {
  const table: [string, string][] = [
    ['', 'yes'],
    ['   ', 'yes'],
    ['all()', 'yes'],
    ['all( )', 'yes'],
    ['has(app)', 'yes'],
    ['has( example.com/team )', 'yes'],
    ['has(db)', 'no'],
    ['!has(db)', 'yes'],
    ['!!has(db)', 'no'],
    ["app == 'web'", 'yes'],
    ['app == "web"', 'yes'],
    ["app == 'api'", 'no'],
    ["app != 'api'", 'yes'],
    // `!=` also matches an absent label (the API's own summary: "also matches if label is not present").
    ["db != 'x'", 'yes'],
    ["app in {'web', 'api'}", 'yes'],
    ["app in {'api'}", 'no'],
    ['app in {}', 'no'],
    ["app not in {'api'}", 'yes'],
    ["app notin {'web'}", 'no'],
    ["db not in {'x'}", 'yes'],
    ["app == 'web' && tier == 'front'", 'yes'],
    ["app == 'web' && tier == 'back'", 'no'],
    ["app == 'api' || tier == 'front'", 'yes'],
    // && binds tighter than ||.
    ["app == 'api' && tier == 'back' || has(app)", 'yes'],
    ["app == 'api' && (tier == 'back' || has(app))", 'no'],
    // A leading ! applies to the one operation after it, not to the whole && chain.
    ["!app == 'api' && tier == 'front'", 'yes'],
    ["!(app == 'web' && tier == 'front')", 'no'],
    ["example.com/team == 'a'", 'yes'],
  ];
  for (const [text, want] of table) {
    it(`${JSON.stringify(text)} on {app: web, tier: front} is ${want}`, () => {
      assert.equal(evaluate(text, web), want);
    });
  }

  const unsupported: [string, RegExp][] = [
    ["name contains 'we'", /operator "contains", which flowprobe does not evaluate/],
    ["name starts with 'we'", /"starts with"/],
    ["name ends with 'eb'", /"ends with"/],
    ['global()', /global\(\), which flowprobe does not evaluate/],
    ["app = 'web'", /a label without an operator/],
    ['app == web', /Calico would reject/],
    ['#app', /does not parse/],
    ["app == 'web", /unterminated string/],
    ["app == 'web' &&", /Calico would reject/],
    ["(app == 'web'", /Calico would reject/],
    ['app', /Calico would reject/],
    ['has()', /Calico rejects/],
    ["app in {'a' 'b'}", /Calico would reject/],
  ];
  for (const [text, want] of unsupported) {
    it(`${JSON.stringify(text)} is unsupported, so the caller treats it as "may select"`, () => {
      assert.match(evaluate(text, web), new RegExp(`^unsupported: .*${want.source}`));
    });
  }

  it('a label flowprobe cannot see is unknown only where it decides', () => {
    const sa = (key: string) => (key === 'projectcalico.org/serviceaccount' ? UNSEEN : undefined);
    assert.equal(evaluate("projectcalico.org/serviceaccount == 'x'", sa), 'unknown');
    assert.equal(evaluate('!has(projectcalico.org/serviceaccount)', sa), 'unknown');
    assert.equal(evaluate("projectcalico.org/serviceaccount == 'x' && has(app)", sa), 'no');
    assert.equal(evaluate("projectcalico.org/serviceaccount == 'x' || all()", sa), 'yes');
  });
});
