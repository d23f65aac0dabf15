/**
 * Accessors for the metadata of any object in the plain JSON shape (Go's meta.Accessor and
 * the ObjectMeta getters/setters), plus owner-reference helpers from controller_ref.go.
 *
 * Getters return Go's zero values for missing fields (`""`, `0`, an empty map or list);
 * setters mutate the object in place, creating `metadata` when needed.
 */
import type { GroupVersionKind } from "../../schema/index.js";
import { groupVersionToString } from "../../schema/index.js";
import type { ListMeta, ManagedFieldsEntry, ObjectMeta, OwnerReference, Time } from "./types.js";

/** Any object that carries ObjectMeta. */
export interface ObjectWithMeta {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** Any list that carries ListMeta. */
export interface ListWithMeta {
  apiVersion?: string;
  kind?: string;
  metadata?: ListMeta;
}

const EMPTY_MAP: { readonly [key: string]: string } = Object.freeze({});
const EMPTY_LIST: readonly never[] = Object.freeze([]);

function meta(obj: ObjectWithMeta): ObjectMeta {
  let m = obj.metadata;
  if (m === undefined) {
    m = {};
    obj.metadata = m;
  }
  return m;
}

function setOrDelete<K extends keyof ObjectMeta>(obj: ObjectWithMeta, key: K, value: ObjectMeta[K] | undefined): void {
  if (value === undefined || value === "") {
    if (obj.metadata !== undefined) delete obj.metadata[key];
    return;
  }
  meta(obj)[key] = value;
}

/** `metadata.name`, or "". */
export function getName(obj: ObjectWithMeta): string {
  return obj.metadata?.name ?? "";
}
/** `metadata.generateName`, or "". */
export function getGenerateName(obj: ObjectWithMeta): string {
  return obj.metadata?.generateName ?? "";
}
/** `metadata.namespace`, or "" (cluster-scoped objects). */
export function getNamespace(obj: ObjectWithMeta): string {
  return obj.metadata?.namespace ?? "";
}
/** `metadata.uid`, or "". */
export function getUID(obj: ObjectWithMeta): string {
  return obj.metadata?.uid ?? "";
}
/** `metadata.resourceVersion`, or "". */
export function getResourceVersion(obj: ObjectWithMeta): string {
  return obj.metadata?.resourceVersion ?? "";
}
/** `metadata.selfLink`, or "" (the server no longer sets it). */
export function getSelfLink(obj: ObjectWithMeta): string {
  return obj.metadata?.selfLink ?? "";
}
/** `metadata.generation`, or 0. */
export function getGeneration(obj: ObjectWithMeta): number | bigint {
  return obj.metadata?.generation ?? 0;
}
/** `metadata.creationTimestamp` (an RFC 3339 string), or undefined. */
export function getCreationTimestamp(obj: ObjectWithMeta): Time | undefined {
  return obj.metadata?.creationTimestamp;
}
/** `metadata.deletionTimestamp`: set once deletion has started, else undefined. */
export function getDeletionTimestamp(obj: ObjectWithMeta): Time | undefined {
  return obj.metadata?.deletionTimestamp;
}
/** `metadata.deletionGracePeriodSeconds`, or undefined. */
export function getDeletionGracePeriodSeconds(obj: ObjectWithMeta): number | bigint | undefined {
  return obj.metadata?.deletionGracePeriodSeconds;
}
/** The labels, or an empty frozen map. */
export function getLabels(obj: ObjectWithMeta): { readonly [key: string]: string } {
  return obj.metadata?.labels ?? EMPTY_MAP;
}
/** The annotations, or an empty frozen map. */
export function getAnnotations(obj: ObjectWithMeta): { readonly [key: string]: string } {
  return obj.metadata?.annotations ?? EMPTY_MAP;
}
/** `metadata.finalizers`, or an empty frozen list. */
export function getFinalizers(obj: ObjectWithMeta): readonly string[] {
  return obj.metadata?.finalizers ?? EMPTY_LIST;
}
/** `metadata.ownerReferences`, or an empty frozen list. */
export function getOwnerReferences(obj: ObjectWithMeta): readonly OwnerReference[] {
  return obj.metadata?.ownerReferences ?? EMPTY_LIST;
}
/** `metadata.managedFields`, or an empty frozen list. */
export function getManagedFields(obj: ObjectWithMeta): readonly ManagedFieldsEntry[] {
  return obj.metadata?.managedFields ?? EMPTY_LIST;
}

/** Setting `""` removes the field, as Go's omitempty would on the wire. */
export function setName(obj: ObjectWithMeta, name: string): void {
  setOrDelete(obj, "name", name);
}
/** Sets `metadata.generateName` (`""` removes it). */
export function setGenerateName(obj: ObjectWithMeta, generateName: string): void {
  setOrDelete(obj, "generateName", generateName);
}
/** Sets `metadata.namespace` (`""` removes it). */
export function setNamespace(obj: ObjectWithMeta, namespace: string): void {
  setOrDelete(obj, "namespace", namespace);
}
/** Sets `metadata.uid` (`""` removes it). */
export function setUID(obj: ObjectWithMeta, uid: string): void {
  setOrDelete(obj, "uid", uid);
}
/** Sets `metadata.resourceVersion` (`""` removes it). */
export function setResourceVersion(obj: ObjectWithMeta, resourceVersion: string): void {
  setOrDelete(obj, "resourceVersion", resourceVersion);
}
/** Sets `metadata.selfLink` (`""` removes it). */
export function setSelfLink(obj: ObjectWithMeta, selfLink: string): void {
  setOrDelete(obj, "selfLink", selfLink);
}
/** Sets `metadata.generation` (0 removes it). */
export function setGeneration(obj: ObjectWithMeta, generation: number | bigint): void {
  if (generation === 0) setOrDelete(obj, "generation", undefined);
  else meta(obj).generation = generation;
}
/** Sets `metadata.creationTimestamp` (undefined removes it). */
export function setCreationTimestamp(obj: ObjectWithMeta, ts: Time | undefined): void {
  setOrDelete(obj, "creationTimestamp", ts);
}
/** Sets `metadata.deletionTimestamp` (undefined removes it). */
export function setDeletionTimestamp(obj: ObjectWithMeta, ts: Time | undefined): void {
  setOrDelete(obj, "deletionTimestamp", ts);
}
/** Sets `metadata.deletionGracePeriodSeconds` (undefined removes it). */
export function setDeletionGracePeriodSeconds(obj: ObjectWithMeta, seconds: number | bigint | undefined): void {
  setOrDelete(obj, "deletionGracePeriodSeconds", seconds);
}
/** Replaces `metadata.labels` (undefined removes them). */
export function setLabels(obj: ObjectWithMeta, labels: { [key: string]: string } | undefined): void {
  setOrDelete(obj, "labels", labels);
}
/** Replaces `metadata.annotations` (undefined removes them). */
export function setAnnotations(obj: ObjectWithMeta, annotations: { [key: string]: string } | undefined): void {
  setOrDelete(obj, "annotations", annotations);
}
/** Replaces `metadata.finalizers` (undefined removes them). */
export function setFinalizers(obj: ObjectWithMeta, finalizers: string[] | undefined): void {
  setOrDelete(obj, "finalizers", finalizers);
}
/** Replaces `metadata.ownerReferences` (undefined removes them). */
export function setOwnerReferences(obj: ObjectWithMeta, refs: OwnerReference[] | undefined): void {
  setOrDelete(obj, "ownerReferences", refs);
}
/** Replaces `metadata.managedFields` (undefined removes them). */
export function setManagedFields(obj: ObjectWithMeta, entries: ManagedFieldsEntry[] | undefined): void {
  setOrDelete(obj, "managedFields", entries);
}

/** Go's HasLabel. */
export function hasLabel(obj: ObjectWithMeta, label: string): boolean {
  const l = obj.metadata?.labels;
  return l !== undefined && Object.hasOwn(l, label);
}
/** Go's HasAnnotation. */
export function hasAnnotation(obj: ObjectWithMeta, annotation: string): boolean {
  const a = obj.metadata?.annotations;
  return a !== undefined && Object.hasOwn(a, annotation);
}
/** Go's SetMetaDataLabel: sets one label, creating the map if needed. */
export function setMetaDataLabel(obj: ObjectWithMeta, label: string, value: string): void {
  const m = meta(obj);
  (m.labels ??= {})[label] = value;
}
/** Go's SetMetaDataAnnotation: sets one annotation, creating the map if needed. */
export function setMetaDataAnnotation(obj: ObjectWithMeta, annotation: string, value: string): void {
  const m = meta(obj);
  (m.annotations ??= {})[annotation] = value;
}

/** A list's `metadata.resourceVersion`, or "": where a watch that follows the list starts. */
export function getListResourceVersion(list: ListWithMeta): string {
  return list.metadata?.resourceVersion ?? "";
}
/** A list's `metadata.continue` token for the next page, or "" on the last page. */
export function getContinue(list: ListWithMeta): string {
  return list.metadata?.continue ?? "";
}
/** A list's `metadata.remainingItemCount` (an estimate the server may give with a paged list), or undefined. */
export function getRemainingItemCount(list: ListWithMeta): number | bigint | undefined {
  return list.metadata?.remainingItemCount;
}

/** The owner reference with `controller: true`, or undefined (a copy, as Go's GetControllerOf). */
export function getControllerOf(controllee: ObjectWithMeta): OwnerReference | undefined {
  const ref = getControllerOfNoCopy(controllee);
  return ref === undefined ? undefined : { ...ref };
}

/** The owner reference with `controller: true` itself, or undefined. */
export function getControllerOfNoCopy(controllee: ObjectWithMeta): OwnerReference | undefined {
  for (const ref of getOwnerReferences(controllee)) {
    if (ref.controller === true) return ref;
  }
  return undefined;
}

/** Whether `owner` (by UID) is the controller of `obj`. */
export function isControlledBy(obj: ObjectWithMeta, owner: ObjectWithMeta): boolean {
  const ref = getControllerOfNoCopy(obj);
  return ref !== undefined && ref.uid === getUID(owner);
}

/** An OwnerReference that makes `owner` the controller (Go's NewControllerRef). */
export function newControllerRef(owner: ObjectWithMeta, gvk: GroupVersionKind): OwnerReference {
  return {
    apiVersion: groupVersionToString(gvk),
    kind: gvk.kind,
    name: getName(owner),
    uid: getUID(owner),
    blockOwnerDeletion: true,
    controller: true,
  };
}
