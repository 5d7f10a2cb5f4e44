// Input that explain cannot work with: a NetworkPolicy, Service or workload whose fields have the wrong
// shape, or a ConnectivityTest the validator rejects. Names the file and document and the field path, so
// the user can go straight to the line. Retrying cannot help; the manifest must change.

export interface InputProblem {
  /** JSON-path-like location within the object, e.g. `spec.flows[0].port`. */
  path: string;
  message: string;
}

export class ExplainInputError extends Error {
  override readonly name = 'ExplainInputError';
  readonly file: string;
  /** The document's index within the file (0-based). */
  readonly index: number;
  /** `Kind namespace/name` of the object. */
  readonly object: string;
  readonly problems: InputProblem[];

  constructor(
    where: { file: string; index: number; object: string },
    problems: InputProblem[],
    options?: { cause?: unknown },
  ) {
    const lines = problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
    super(`${where.file} (document ${where.index + 1}): ${where.object} is invalid:\n${lines}`, options);
    this.file = where.file;
    this.index = where.index;
    this.object = where.object;
    this.problems = problems;
  }
}
