// The generated API returns model class instances: Dates for times, and some fields renamed where the wire
// name is a reserved word (a NetworkPolicy peer list `from` is `_from`). Watch events carry the wire JSON.
// Caches must hold one shape — the wire's, which the pure code reads — so listed and returned objects go
// back through the client's own serializer. (JSON.stringify would keep `_from` and lose every peer.)
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import type { WireObject } from './objects.js';

/** `type` is the model's name in the client, e.g. `V1Pod`, `EventsV1Event`. */
export function toWire(value: object, type: string): WireObject {
  return wire(value, type) as WireObject;
}

/** `type` is the list model's name, e.g. `V1PodList`. */
export function wireList<T extends KubernetesObject>(list: object, type: string): KubernetesListObject<T> {
  return wire(list, type) as KubernetesListObject<T>;
}

/** The serializer writes absent fields as `undefined` keys; the JSON pass drops them, as the wire would. */
function wire(value: object, type: string): unknown {
  return JSON.parse(JSON.stringify(ObjectSerializer.serialize(value, type, '')));
}

/** CustomObjectsApi answers parsed JSON already: only its type needs narrowing. */
export function customList<T extends KubernetesObject>(list: object): KubernetesListObject<T> {
  return list as KubernetesListObject<T>;
}
