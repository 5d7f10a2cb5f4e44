// Calico's selector expression language, the common subset: all(), has(k), !has(k), k == 'v', k != 'v',
// k in {'a','b'}, k not in {...}, &&, ||, ! and parentheses. Grammar and semantics as Calico's own
// parser has them (projectcalico/calico @ 87c15906f20c, libcalico-go/lib/selector/tokenizer/tokenizer.go
// and parser/parser.go; the syntax summary in api/pkg/apis/projectcalico/v3/networkpolicy.go):
// - `||` binds loosest, then `&&`; leading `!`s apply to the one operation that follows them;
// - labels are [A-Za-z0-9_./-]+; strings are '...' or "..." without escapes;
// - `!=` and `not in` also match when the label is absent; an empty selector is all().
// Anything else (contains, starts with, ends with, global(), or text Calico would reject) is not guessed
// at: parsing says why, and the caller treats the selector as one that may select anything.
import { allOf, anyOf, not, selectionOf, UNSEEN, unknown, YES, type LabelLookup } from './selection.js';
import type { Selection } from './types.js';

export type CalicoNode =
  | { op: 'all' }
  | { op: 'has'; key: string }
  | { op: 'eq' | 'ne'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: ReadonlySet<string> }
  | { op: 'not'; node: CalicoNode }
  | { op: 'and' | 'or'; nodes: CalicoNode[] };

export type ParsedSelector = { node: CalicoNode } | { unsupported: string };

type Token =
  | { t: 'label' | 'string' | 'has'; v: string }
  | { t: '(' | ')' | '{' | '}' | ',' | '==' | '!=' | '!' | '&&' | '||' | 'in' | 'notin' | 'all' | 'eof' };

class Unsupported extends Error {}

export function parseCalicoSelector(text: string): ParsedSelector {
  try {
    const tokens = tokenize(text);
    if (tokens.length === 1) return { node: { op: 'all' } };
    const p = new Parser(tokens);
    const node = p.or();
    p.expect('eof');
    return { node };
  } catch (err) {
    if (err instanceof Unsupported) return { unsupported: err.message };
    throw err;
  }
}

/** Evaluates a parsed selector; a label flowprobe cannot see makes what reads it unknown. */
export function evaluateCalico(node: CalicoNode, lookup: LabelLookup): Selection {
  switch (node.op) {
    case 'all':
      return YES;
    case 'not':
      return not(evaluateCalico(node.node, lookup));
    case 'and':
      return allOf(node.nodes.map((n) => evaluateCalico(n, lookup)));
    case 'or':
      return anyOf(node.nodes.map((n) => evaluateCalico(n, lookup)));
    default:
      return evaluateLeaf(node, lookup(node.key));
  }
}

function evaluateLeaf(
  node: Extract<CalicoNode, { key: string }>,
  v: string | undefined | typeof UNSEEN,
): Selection {
  if (v === UNSEEN) return unknown(`its selector reads ${node.key}, which flowprobe cannot see`);
  switch (node.op) {
    case 'has':
      return selectionOf(v !== undefined);
    case 'eq':
      return selectionOf(v === node.value);
    case 'ne':
      return selectionOf(v !== node.value);
    case 'in':
      return selectionOf(v !== undefined && node.values.has(v));
    case 'notin':
      return selectionOf(v === undefined || !node.values.has(v));
  }
}

const LABEL = /^[A-Za-z0-9_./-]+/;
const PUNCT = ['&&', '||', '==', '!=', '(', ')', '{', '}', ',', '!'] as const;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let rest = text.replace(/^[ \t]+/, '');
  while (rest !== '') {
    const punct = PUNCT.find((x) => rest.startsWith(x));
    let m: RegExpExecArray | null;
    if (punct !== undefined) {
      out.push({ t: punct });
      rest = rest.slice(punct.length);
    } else if (rest.startsWith('"') || rest.startsWith("'")) {
      const end = rest.indexOf(rest.charAt(0), 1);
      if (end < 0) throw new Unsupported('an unterminated string');
      out.push({ t: 'string', v: rest.slice(1, end) });
      rest = rest.slice(end + 1);
    } else if (out.at(-1)?.t === 'label') {
      rest = operatorAfterLabel(rest, out);
    } else if (/^global\(/.test(rest)) {
      throw new Unsupported('global(), which flowprobe does not evaluate');
    } else if ((m = /^(has|all)\(\s*([A-Za-z0-9_./-]*)\s*\)/.exec(rest)) !== null) {
      out.push(m[1] === 'has' ? { t: 'has', v: m[2] ?? '' } : { t: 'all' });
      if ((m[1] === 'has') !== (m[2] !== '')) throw new Unsupported(`${m[0]}, which Calico rejects`);
      rest = rest.slice(m[0].length);
    } else if ((m = LABEL.exec(rest)) !== null) {
      out.push({ t: 'label', v: m[0] });
      rest = rest.slice(m[0].length);
    } else {
      throw new Unsupported(`${JSON.stringify(rest.slice(0, 12))}, which flowprobe does not parse`);
    }
    rest = rest.replace(/^[ \t]+/, '');
  }
  out.push({ t: 'eof' });
  return out;
}

/** After a label only an operator may follow; `in` and `not in` are the word operators of the subset. */
function operatorAfterLabel(rest: string, out: Token[]): string {
  const m = /^(not\s*in|in|contains|starts\s+with|ends\s+with)(?![A-Za-z0-9_./-])/.exec(rest);
  const word = m?.[1]?.replace(/\s+/g, ' ');
  if (m === null || word === undefined) throw new Unsupported('a label without an operator');
  if (word === 'in') out.push({ t: 'in' });
  else if (word === 'not in' || word === 'notin') out.push({ t: 'notin' });
  else throw new Unsupported(`the operator "${word}", which flowprobe does not evaluate`);
  return rest.slice(m[0].length);
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i] ?? { t: 'eof' };
  }

  private next(): Token {
    const tok = this.peek();
    this.i += 1;
    return tok;
  }

  expect(t: Token['t']): Token {
    const tok = this.next();
    if (tok.t !== t) throw new Unsupported(`a selector Calico would reject (expected ${t}, got ${tok.t})`);
    return tok;
  }

  or(): CalicoNode {
    const nodes = [this.and()];
    while (this.peek().t === '||') {
      this.next();
      nodes.push(this.and());
    }
    return nodes.length === 1 && nodes[0] !== undefined ? nodes[0] : { op: 'or', nodes };
  }

  private and(): CalicoNode {
    const nodes = [this.operation()];
    while (this.peek().t === '&&') {
      this.next();
      nodes.push(this.operation());
    }
    return nodes.length === 1 && nodes[0] !== undefined ? nodes[0] : { op: 'and', nodes };
  }

  /** Calico collapses leading `!`s into one negation of the operation that follows. */
  private operation(): CalicoNode {
    let negated = false;
    while (this.peek().t === '!') {
      this.next();
      negated = !negated;
    }
    const node = this.primary();
    return negated ? { op: 'not', node } : node;
  }

  private primary(): CalicoNode {
    const tok = this.next();
    if (tok.t === 'all') return { op: 'all' };
    if (tok.t === 'has') return { op: 'has', key: tok.v };
    if (tok.t === '(') {
      const node = this.or();
      this.expect(')');
      return node;
    }
    if (tok.t !== 'label') throw new Unsupported(`a selector Calico would reject (unexpected ${tok.t})`);
    const op = this.next();
    if (op.t === '==' || op.t === '!=') {
      const value = this.expect('string');
      return { op: op.t === '==' ? 'eq' : 'ne', key: tok.v, value: 'v' in value ? value.v : '' };
    }
    if (op.t === 'in' || op.t === 'notin') return { op: op.t, key: tok.v, values: this.set() };
    throw new Unsupported(`a selector Calico would reject (expected an operator after ${tok.v})`);
  }

  private set(): Set<string> {
    this.expect('{');
    const values = new Set<string>();
    while (this.peek().t === 'string') {
      const tok = this.next();
      if ('v' in tok) values.add(tok.v);
      if (this.peek().t !== ',') break;
      this.next();
    }
    this.expect('}');
    return values;
  }
}
