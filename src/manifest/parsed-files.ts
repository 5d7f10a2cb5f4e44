// Parsed file contents shared between reads: `flowprobe diff` reads two checkouts of one repository, and a
// pull request changes few files, so most files are byte-identical on both sides. Each distinct content is
// parsed once (parsing is most of the cost of reading a large tree), keyed by a hash of its bytes and by
// how it is parsed (JSON or YAML), and the objects are shared.
//
// Shared objects must be treated as immutable: nothing downstream writes to a parsed object (the validator
// prunes into a copy, the snapshot readers copy what they keep; test/diff/shared-objects.test.ts runs a diff
// on deep-frozen objects to prove it).
import { createHash } from 'node:crypto';
import type { KubeObject, SourcedObject } from './kube-object.js';
import { isJsonFile, parseDocuments } from './parse-documents.js';

interface Parsed {
  index: number;
  object: KubeObject;
}

export class ParsedFiles {
  private readonly byContent = new Map<string, Parsed[]>();

  /** parseDocuments(file, text, budget), from the cache when this content was parsed before. */
  parse(file: string, text: string, budget: number): SourcedObject[] {
    const key = `${isJsonFile(file) ? 'json' : 'yaml'}:${createHash('sha256').update(text).digest('base64')}`;
    const known = this.byContent.get(key);
    // Past the budget, parse again: parseDocuments names the document where the input grew too large.
    if (known !== undefined && known.length <= budget)
      return known.map(({ index, object }) => ({ file, index, object }));
    const objects = parseDocuments(file, text, budget);
    this.byContent.set(
      key,
      objects.map(({ index, object }) => ({ index, object })),
    );
    return objects;
  }
}
