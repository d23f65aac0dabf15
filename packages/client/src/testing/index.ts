/**
 * Fakes for unit tests (client-go kubernetes/fake and testing): `newSimpleClientset(...objects)` gives
 * the typed clientset over an in-memory object tracker, with recorded actions and reactors.
 */
export {
  Fake,
  ResourceIndex,
  newClientset,
  newFakeClientsetFromTable,
  newSimpleClientset,
  objectReaction,
  type FakeClientset,
  type FakeControls,
  type ReactionFunc,
  type ReactionResult,
  type WatchReactionFunc,
} from "./fake.js";
export { DEFAULT_FIELD_MANAGER, fieldManagedReaction } from "./field-managed.js";
export {
  FakeDiscovery,
  builtInResources,
  newFakeDynamicClient,
  newFakeMetadataClient,
  newFakeScaleClient,
  newSimpleDynamicClient,
  newSimpleDynamicClientWithCustomListKinds,
  newSimpleMetadataClient,
  unsafeGuessKindToResource,
  type FakeDynamicClient,
  type FakeDynamicOptions,
  type FakeMetadataClient,
  type FakeScaleClient,
} from "./fakes.js";
export { FieldSet, type ManagedFieldsEntry } from "./managed-fields.js";
export { applyPatch, jsonPatch, mergePatch, strategicMergePatch } from "./patch.js";
export { InitialEventsAnnotationKey, ObjectTracker, matchesListOptions, type TrackedObject } from "./tracker.js";
export type { Action, ActionVerb } from "../kubernetes/types.js";
