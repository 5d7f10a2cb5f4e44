// Reading untyped manifest fields without trusting them. A wrong type is reported with its field path
// (collected by a Problems list) rather than thrown half-way, so one run reports every mistake of an object.
import type { InputProblem } from './errors.js';

export type Json = Record<string, unknown>;

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class Problems {
  readonly list: InputProblem[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  record(v: unknown, path: string): Json | undefined {
    if (v === undefined || v === null) return undefined;
    if (isRecord(v)) return v;
    this.add(path, 'must be an object');
    return undefined;
  }

  array(v: unknown, path: string): unknown[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v)) return v as unknown[];
    this.add(path, 'must be a list');
    return undefined;
  }

  string(v: unknown, path: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    this.add(path, 'must be a string');
    return undefined;
  }

  int(v: unknown, path: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    this.add(path, 'must be an integer');
    return undefined;
  }

  /** IntOrString, as ports and targetPorts are. */
  intOrString(v: unknown, path: string): number | string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))) return v;
    this.add(path, 'must be an integer or a name');
    return undefined;
  }

  stringMap(v: unknown, path: string): Record<string, string> {
    const r = this.record(v, path);
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(r ?? {})) {
      if (typeof val === 'string') out[k] = val;
      else this.add(`${path}.${k}`, 'must be a string');
    }
    return out;
  }

  protocol(v: unknown, path: string): 'TCP' | 'UDP' | 'SCTP' | undefined {
    if (v === undefined || v === null) return undefined;
    if (v === 'TCP' || v === 'UDP' || v === 'SCTP') return v;
    this.add(path, 'must be TCP, UDP or SCTP');
    return undefined;
  }
}
