// The subset of OpenAPI v3 (apiextensions.k8s.io/v1 JSONSchemaProps) the ConnectivityTest schema uses,
// with one addition: every CEL rule carries its TypeScript twin, so the CRD and the validator are built
// from the same data. https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/

export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

export interface SchemaNode {
  type?: SchemaType;
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode;
  items?: SchemaNode;
  required?: string[];
  enum?: string[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  default?: unknown;
  /** Value validations only, as structural schemas require. */
  anyOf?: SchemaNode[];
  /** Fields not listed in properties are kept (and not checked); otherwise they are unknown fields. */
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-validations'?: CelRule[];
}

/** Reasons the API server accepts on a validation rule (ValidationRule.reason). */
export type RuleReason =
  'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';

/** A CEL `x-kubernetes-validations` entry and the same rule in TypeScript. */
export interface CelRule {
  /** Names the rule in tests and reports; not rendered. */
  id: string;
  /** CEL, evaluated by the API server with `self` bound to the value at the rule's node. */
  rule: string;
  message: string;
  reason?: RuleReason;
  /** Where the API server reports a failure, relative to the node (e.g. `.namespace`). */
  fieldPath?: string;
  /** The TypeScript twin: true when the rule holds for `self`. Runs on values of the node's type only. */
  holds: (self: unknown) => boolean;
  /** What the validator adds to the message (e.g. which name is duplicated); not rendered. */
  detail?: (self: unknown) => string;
}

/** Declares a rule whose TypeScript twin reads `self` as T (the node's type, already checked). */
export function celRule<T>(
  rule: Omit<CelRule, 'holds' | 'detail'> & { holds: (self: T) => boolean; detail?: (self: T) => string },
): CelRule {
  const { holds, detail } = rule;
  return {
    ...rule,
    holds: (self: unknown) => holds(self as T),
    detail: detail && ((self: unknown) => detail(self as T)),
  };
}
