// A manifest that cannot be read or understood. Retrying does not help: the file must change.

export interface ManifestErrorOptions {
  /** The document's index within the file (0-based), when the problem is in one document. */
  document?: number;
  cause?: unknown;
}

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  readonly file: string;
  readonly document: number | undefined;

  constructor(file: string, problem: string, options: ManifestErrorOptions = {}) {
    // Documents are counted from 1 in the message, the way a reader counts them in an editor.
    const where = options.document === undefined ? file : `${file} (document ${options.document + 1})`;
    super(`${where}: ${problem}`, { cause: options.cause });
    this.file = file;
    this.document = options.document;
  }
}
