// The generated API returns class instances with Date fields, while watch events carry the wire JSON.
// Caches must hold one shape, so listed objects are turned back into their wire form.
import type { KubernetesListObject, KubernetesObject, V1Pod } from '@kubernetes/client-node';
import type { PodObject, WireObject } from './objects.js';

/** The wire form of an object: Dates become RFC 3339 strings, class instances plain objects. */
export function toWire(value: object): WireObject {
  return JSON.parse(JSON.stringify(value)) as WireObject;
}

export function toWirePod(value: V1Pod): PodObject {
  return JSON.parse(JSON.stringify(value)) as PodObject;
}

export function plainList<T extends KubernetesObject>(list: object): KubernetesListObject<T> {
  return JSON.parse(JSON.stringify(list)) as KubernetesListObject<T>;
}
