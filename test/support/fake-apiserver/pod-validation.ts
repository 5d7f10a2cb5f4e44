/**
 * Hand-written Pod validation that the OpenAPI schemas (builtin-validation.ts) cannot express. Only the
 * node-affinity field-selector rule is copied: kube-apiserver's ValidatePodSpec → validateAffinity →
 * ValidateNodeSelector → ValidateNodeFieldSelectorRequirement (kubernetes pkg/apis/core/validation/
 * validation.go) allows `matchFields` only on `metadata.name`, with In/NotIn and exactly one value, since
 * the scheduler turns each requirement into a single field term (component-helpers
 * scheduling/corev1/nodeaffinity, nodeSelectorRequirementsAsFieldSelector: "unexpected number of value").
 */
import { validateBuiltin } from './builtin-validation.js';
import { isRecord, type FieldCause, type KubeObject } from './types.js';

const TERMS = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms';

/** The `validate` of the Pod ResourceDef: the schema check, then the rule above. */
export async function validatePod(obj: KubeObject): Promise<FieldCause[]> {
  const causes = await validateBuiltin('', obj);
  return causes.length > 0 ? causes : validateNodeFieldSelectors(obj);
}

export function validateNodeFieldSelectors(pod: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  nodeSelectorTerms(pod).forEach((term, t) => {
    const fields = isRecord(term) && Array.isArray(term.matchFields) ? term.matchFields : [];
    fields.forEach((req: unknown, f) => {
      const path = `${TERMS}[${t}].matchFields[${f}]`;
      if (!isRecord(req)) return;
      const values = Array.isArray(req.values) ? req.values : [];
      if (req.operator === 'In' || req.operator === 'NotIn') {
        if (values.length !== 1)
          causes.push({
            reason: 'FieldValueRequired',
            message:
              "Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
            field: `${path}.values`,
          });
      } else {
        causes.push(invalidValue(`${path}.operator`, req.operator, 'not a valid selector operator'));
      }
      if (req.key !== 'metadata.name')
        causes.push(invalidValue(`${path}.key`, req.key, 'not a valid field selector key'));
    });
  });
  return causes;
}

function nodeSelectorTerms(pod: KubeObject): unknown[] {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const affinity = isRecord(spec.affinity) ? spec.affinity : {};
  const node = isRecord(affinity.nodeAffinity) ? affinity.nodeAffinity : {};
  const required = node.requiredDuringSchedulingIgnoredDuringExecution;
  return isRecord(required) && Array.isArray(required.nodeSelectorTerms) ? required.nodeSelectorTerms : [];
}

function invalidValue(field: string, value: unknown, why: string): FieldCause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${why}`, field };
}
