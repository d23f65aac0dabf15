/**
 * The types of io.k8s.apimachinery.pkg.apis.meta.v1 (plus runtime.RawExtension and
 * version.Info) in their plain JSON shape. Names are the OpenAPI short names, so generated
 * API types can import them directly.
 */

/** A UID (types.UID): an opaque unique string. */
export type UID = string;

/** RFC 3339 timestamp with second precision, e.g. `"2024-01-02T03:04:05Z"`. */
export type Time = string;

/** RFC 3339 timestamp with microsecond precision, e.g. `"2024-01-02T03:04:05.000006Z"`. */
export type MicroTime = string;

/** A Go duration string, e.g. `"1h2m3.5s"`. */
export type Duration = string;

/** Any JSON object held without interpretation (runtime.RawExtension). */
export interface RawExtension {
  [key: string]: unknown;
}

/** A set of fields in a trie-like JSON format, as stored in managedFields. */
export interface FieldsV1 {
  [key: string]: unknown;
}

/** Gives a concrete name and type to the body of a PATCH request. */
export interface Patch {
  [key: string]: unknown;
}

/** The kind and apiVersion every object carries. */
export interface TypeMeta {
  /** The versioned schema of this representation, e.g. `"apps/v1"`. */
  apiVersion?: string;
  /** The REST resource this object represents, in CamelCase. */
  kind?: string;
}

/** Describes the shard selector applied to produce a list response. */
export interface ShardInfo {
  /** The shard selector string from the request, echoed back. */
  selector: string;
}

/** Metadata that lists and other synthetic resources carry. */
export interface ListMeta {
  /** Opaque token to continue a paginated list. */
  continue?: string;
  /** Number of items after this page, when known. (int64: a bigint beyond 2^53 - 1). */
  remainingItemCount?: number | bigint;
  /** The server's internal version of this list. */
  resourceVersion?: string;
  /** Deprecated: no longer populated by the system. */
  selfLink?: string;
  /** Set when the list is a filtered subset selected by a shard selector. */
  shardInfo?: ShardInfo;
}

/** Identifies an owning object. */
export interface OwnerReference {
  /** API version of the referent. */
  apiVersion: string;
  /** If true, the owner cannot be deleted (foreground) until this reference is removed. */
  blockOwnerDeletion?: boolean;
  /** If true, this reference points to the managing controller. */
  controller?: boolean;
  /** Kind of the referent. */
  kind: string;
  /** Name of the referent. */
  name: string;
  /** UID of the referent. */
  uid: UID;
}

/** The kind of operation that produced a ManagedFieldsEntry. */
export type ManagedFieldsOperationType = "Apply" | "Update";

/** A workflow id, a field set, and the group version of the resource it applies to. */
export interface ManagedFieldsEntry {
  /** The version of the resource this field set applies to. */
  apiVersion?: string;
  /** Discriminator for the fields format; currently only `"FieldsV1"`. */
  fieldsType?: string;
  /** The field set, in the FieldsV1 format. */
  fieldsV1?: FieldsV1;
  /** Identifier of the workflow managing these fields. */
  manager?: string;
  /** The operation that created this entry: `"Apply"` or `"Update"`. */
  operation?: ManagedFieldsOperationType | (string & {});
  /** The subresource used to update the object, or empty. */
  subresource?: string;
  /** When the entry was added or last changed. */
  time?: Time;
}

/** Metadata every persisted resource has. */
export interface ObjectMeta {
  /** Unstructured key/value annotations. */
  annotations?: { [key: string]: string };
  /** When the object was created (server time). */
  creationTimestamp?: Time;
  /** Seconds allowed for graceful termination; set with deletionTimestamp. (int64: a bigint beyond 2^53 - 1). */
  deletionGracePeriodSeconds?: number | bigint;
  /** When the object will be deleted; set by the server on graceful deletion. */
  deletionTimestamp?: Time;
  /** Entries that must be removed before the object is deleted. */
  finalizers?: string[];
  /** Prefix for a server-generated name when `name` is empty. */
  generateName?: string;
  /** Sequence number of the desired state. (int64: a bigint beyond 2^53 - 1). */
  generation?: number | bigint;
  /** Key/value labels used to select objects. */
  labels?: { [key: string]: string };
  /** Field ownership records maintained by the server. */
  managedFields?: ManagedFieldsEntry[];
  /** Name, unique within a namespace. */
  name?: string;
  /** Namespace of the object; empty for cluster-scoped objects. */
  namespace?: string;
  /** Objects this object depends on (for garbage collection). */
  ownerReferences?: OwnerReference[];
  /** Opaque internal version, used for optimistic concurrency and watch. */
  resourceVersion?: string;
  /** Deprecated: no longer populated by the system. */
  selfLink?: string;
  /** Unique in time and space; set by the server on creation. */
  uid?: UID;
}

/** A label selector operator. */
export type LabelSelectorOperator = "In" | "NotIn" | "Exists" | "DoesNotExist";

/** A key, an operator and values: one term of a label selector. */
export interface LabelSelectorRequirement {
  /** The label key the selector applies to. */
  key: string;
  /** One of In, NotIn, Exists, DoesNotExist. */
  operator: LabelSelectorOperator | (string & {});
  /** Values: non-empty for In/NotIn, empty for Exists/DoesNotExist. */
  values?: string[];
}

/** A label query; matchLabels and matchExpressions are ANDed. Empty matches all, null none. */
export interface LabelSelector {
  /** Requirements, ANDed. */
  matchExpressions?: LabelSelectorRequirement[];
  /** `{key: value}` pairs, each equivalent to an `In` requirement with one value. */
  matchLabels?: { [key: string]: string };
}

/** A field selector operator. */
export type FieldSelectorOperator = "In" | "NotIn" | "Exists" | "DoesNotExist";

/** A key, an operator and values: one term of a field selector. */
export interface FieldSelectorRequirement {
  /** The field selector key the requirement applies to. */
  key: string;
  /** One of In, NotIn, Exists, DoesNotExist. */
  operator: FieldSelectorOperator | (string & {});
  /** Values: non-empty for In/NotIn, empty for Exists/DoesNotExist. */
  values?: string[];
}

/** Why a request failed; open-ended, the known values are listed. */
export type StatusReason =
  | ""
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Gone"
  | "Invalid"
  | "ServerTimeout"
  | "StorageReadError"
  | "Timeout"
  | "TooManyRequests"
  | "BadRequest"
  | "MethodNotAllowed"
  | "NotAcceptable"
  | "RequestEntityTooLarge"
  | "UnsupportedMediaType"
  | "InternalError"
  | "Expired"
  | "ServiceUnavailable"
  | (string & {});

/** The machine-readable type of a StatusCause; open-ended. */
export type CauseType =
  | "FieldValueNotFound"
  | "FieldValueRequired"
  | "FieldValueDuplicate"
  | "FieldValueInvalid"
  | "FieldValueNotSupported"
  | "FieldValueForbidden"
  | "FieldValueTooLong"
  | "FieldValueTooMany"
  | "InternalError"
  | "FieldValueTypeInvalid"
  | "UnexpectedServerResponse"
  | "FieldManagerConflict"
  | "ResourceVersionTooLarge"
  | (string & {});

/** More information about a Status failure. Note: the JSON name of the type is `reason`. */
export interface StatusCause {
  /** The field that caused the error, e.g. `"items[0].name"`. */
  field?: string;
  /** Human-readable description of the cause. */
  message?: string;
  /** Machine-readable cause type. */
  reason?: CauseType;
}

/** Extra information about a Status, set by the server according to the reason. */
export interface StatusDetails {
  /** Detailed causes. */
  causes?: StatusCause[];
  /** Group of the resource. */
  group?: string;
  /** Kind (or resource) of the resource. */
  kind?: string;
  /** Name of the resource. */
  name?: string;
  /** Seconds to wait before retrying. */
  retryAfterSeconds?: number;
  /** UID of the resource. */
  uid?: UID;
}

/** The return value of calls that don't return other objects, and of every error. */
export interface Status extends TypeMeta {
  /** Suggested HTTP status code; 0 if not set. */
  code?: number;
  /** Extended data associated with the reason. */
  details?: StatusDetails;
  /** Human-readable description. */
  message?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** Machine-readable reason for a Failure. */
  reason?: StatusReason;
  /** `"Success"` or `"Failure"`. */
  status?: "Success" | "Failure" | (string & {});
}

/** Status.status for a successful operation. */
export const StatusSuccess = "Success";
/** Status.status for a failed operation. */
export const StatusFailure = "Failure";

/** A condition status. */
export type ConditionStatus = "True" | "False" | "Unknown";

/** One aspect of the current state of a resource. */
export interface Condition {
  /** When the condition last changed status. */
  lastTransitionTime: Time;
  /** Human-readable details about the transition; may be empty. */
  message: string;
  /** The .metadata.generation the condition was set for. (int64: a bigint beyond 2^53 - 1). */
  observedGeneration?: number | bigint;
  /** CamelCase programmatic reason for the last transition. */
  reason: string;
  /** True, False or Unknown. */
  status: ConditionStatus | (string & {});
  /** Condition type in CamelCase or foo.example.com/CamelCase. */
  type: string;
}

/** Which resourceVersion a list must match. */
export type ResourceVersionMatch = "NotOlderThan" | "Exact";

/** Options of a list or watch call. */
export interface ListOptions extends TypeMeta {
  /** Label selector, e.g. `"app=web,tier!=db"`. */
  labelSelector?: string;
  /** Field selector, e.g. `"metadata.name=foo"`. */
  fieldSelector?: string;
  /** Watch instead of list. */
  watch?: boolean;
  /** Ask for BOOKMARK events on a watch. */
  allowWatchBookmarks?: boolean;
  /** The resourceVersion constraint. */
  resourceVersion?: string;
  /** How resourceVersion is applied to a list. */
  resourceVersionMatch?: ResourceVersionMatch;
  /** Timeout for the call, in seconds. */
  timeoutSeconds?: number;
  /** Maximum number of items to return. */
  limit?: number;
  /** Token from a previous page's ListMeta.continue. */
  continue?: string;
  /** Start a watch with synthetic events for the current state. */
  sendInitialEvents?: boolean;
  /** Shard selector restricting the list to a subset. */
  shardSelector?: string;
}

/** Options of a get call. */
export interface GetOptions extends TypeMeta {
  /** The resourceVersion constraint. */
  resourceVersion?: string;
}

/** Whether and how garbage collection is performed on delete. */
export type DeletionPropagation = "Orphan" | "Background" | "Foreground";

/** Must be fulfilled before an operation is carried out. */
export interface Preconditions {
  /** Target resourceVersion. */
  resourceVersion?: string;
  /** Target UID. */
  uid?: UID;
}

/** Options of a delete call. */
export interface DeleteOptions extends TypeMeta {
  /** Dry-run directives, e.g. `["All"]`. */
  dryRun?: string[];
  /** Seconds before the object is deleted; 0 deletes immediately. */
  gracePeriodSeconds?: number;
  /** Unsafe deletion of a corrupt object. */
  ignoreStoreReadErrorWithClusterBreakingPotential?: boolean;
  /** Deprecated: use propagationPolicy. */
  orphanDependents?: boolean;
  /** Must be fulfilled before deletion. */
  preconditions?: Preconditions;
  /** Garbage collection policy. */
  propagationPolicy?: DeletionPropagation;
}

/** Server-side field validation level. */
export type FieldValidation = "Ignore" | "Warn" | "Strict";

/** Options of a create call. */
export interface CreateOptions extends TypeMeta {
  /** Dry-run directives, e.g. `["All"]`. */
  dryRun?: string[];
  /** Name of the actor making the change. */
  fieldManager?: string;
  /** How to treat unknown or duplicate fields. */
  fieldValidation?: FieldValidation | (string & {});
}

/** Options of an update call. */
export interface UpdateOptions extends TypeMeta {
  /** Dry-run directives, e.g. `["All"]`. */
  dryRun?: string[];
  /** Name of the actor making the change. */
  fieldManager?: string;
  /** How to treat unknown or duplicate fields. */
  fieldValidation?: FieldValidation | (string & {});
}

/** Options of a patch call. */
export interface PatchOptions extends TypeMeta {
  /** Dry-run directives, e.g. `["All"]`. */
  dryRun?: string[];
  /** Force an apply patch through conflicts. */
  force?: boolean;
  /** Name of the actor making the change; required for apply patches. */
  fieldManager?: string;
  /** How to treat unknown or duplicate fields. */
  fieldValidation?: FieldValidation | (string & {});
}

/** Options of a server-side apply call. */
export interface ApplyOptions extends TypeMeta {
  /** Dry-run directives, e.g. `["All"]`. */
  dryRun?: string[];
  /** Force the apply through conflicts. */
  force: boolean;
  /** Name of the actor making the change. */
  fieldManager: string;
}

/** Which part of an object a Table row includes. */
export type IncludeObjectPolicy = "None" | "Metadata" | "Object";

/** Options for a Table response. */
export interface TableOptions extends TypeMeta {
  /** Which part of each object to include. */
  includeObject?: IncludeObjectPolicy;
}

/** A single event on a watched resource. */
export interface WatchEvent<T = RawExtension> {
  /** ADDED, MODIFIED, DELETED, BOOKMARK or ERROR. */
  type: string;
  /** The object (for ERROR, a Status). */
  object: T;
}

/** A list of unstructured objects (metav1.List). */
export interface List extends TypeMeta {
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The objects. */
  items: RawExtension[];
}

/** Maps a client CIDR to the server address to use. */
export interface ServerAddressByClientCIDR {
  /** CIDR the client IP is matched against. */
  clientCIDR: string;
  /** Address of the server for such clients. */
  serverAddress: string;
}

/** The versions available at /api. */
export interface APIVersions extends TypeMeta {
  /** Server addresses by client CIDR. */
  serverAddressByClientCIDRs: ServerAddressByClientCIDR[];
  /** The API versions available. */
  versions: string[];
}

/** A `"group/version"` and its `"version"`. */
export interface GroupVersionForDiscovery {
  /** `"group/version"`. */
  groupVersion: string;
  /** `"version"`. */
  version: string;
}

/** An API group, its versions and the preferred version. */
export interface APIGroup extends TypeMeta {
  /** Name of the group. */
  name: string;
  /** The version the server prefers. */
  preferredVersion?: GroupVersionForDiscovery;
  /** Server addresses by client CIDR. */
  serverAddressByClientCIDRs?: ServerAddressByClientCIDR[];
  /** The versions served. */
  versions: GroupVersionForDiscovery[];
}

/** The API groups available at /apis. */
export interface APIGroupList extends TypeMeta {
  /** The groups. */
  groups: APIGroup[];
}

/** A resource served in a group version. */
export interface APIResource {
  /** Grouped resources this resource belongs to, e.g. `"all"`. */
  categories?: string[];
  /** Preferred group (subresources may differ from the list's group). */
  group?: string;
  /** The kind, e.g. `"Deployment"`. */
  kind: string;
  /** Plural resource name, e.g. `"deployments"`, or `"deployments/scale"`. */
  name: string;
  /** Whether the resource is namespaced. */
  namespaced: boolean;
  /** Suggested short names. */
  shortNames?: string[];
  /** Singular name. */
  singularName: string;
  /** Opaque hash of the storage version. */
  storageVersionHash?: string;
  /** Supported verbs: get, list, watch, create, update, patch, delete, ... */
  verbs: string[];
  /** Preferred version (subresources may differ). */
  version?: string;
}

/** The resources of one group version. */
export interface APIResourceList extends TypeMeta {
  /** `"group/version"` of this list. */
  groupVersion: string;
  /** The resources. */
  resources: APIResource[];
}

/** The paths a server serves, at `/`. */
export interface RootPaths {
  /** The paths. */
  paths: string[];
}

/** Describes one column of a Table. */
export interface TableColumnDefinition {
  /** Column name. */
  name: string;
  /** OpenAPI type of the column: number, integer, string, boolean, ... */
  type: string;
  /** Optional OpenAPI format modifier, e.g. `"name"`. */
  format: string;
  /** Human-readable description. */
  description: string;
  /** 0 is most important; higher values may be hidden in narrow views. */
  priority: number;
}

/** A condition on a Table row. */
export interface TableRowCondition {
  /** Condition type, e.g. `"Completed"`. */
  type: string;
  /** True, False or Unknown. */
  status: ConditionStatus | (string & {});
  /** Machine-readable reason. */
  reason?: string;
  /** Human-readable message. */
  message?: string;
}

/** One row of a Table. */
export interface TableRow {
  /** Cell values, one per column definition. */
  cells: unknown[];
  /** Row conditions. */
  conditions?: TableRowCondition[];
  /** The object (or its metadata) the row describes, per includeObject. */
  object?: RawExtension;
}

/** A tabular server-side rendering of a list. */
export interface Table extends TypeMeta {
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** Column descriptions. */
  columnDefinitions: TableColumnDefinition[];
  /** Rows. */
  rows: TableRow[];
}

/** Only the metadata of an object. */
export interface PartialObjectMetadata extends TypeMeta {
  /** Standard object metadata. */
  metadata?: ObjectMeta;
}

/** A list of PartialObjectMetadata. */
export interface PartialObjectMetadataList extends TypeMeta {
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The items. */
  items: PartialObjectMetadata[];
}

/** A GroupResource as serialized in meta/v1 (e.g. in StorageVersionMigration). */
export interface GroupResource {
  group: string;
  resource: string;
}

/** Version information of a server (version.Info, served at /version). */
export interface Info {
  buildDate: string;
  compiler: string;
  /** Major version of the emulation version. */
  emulationMajor?: string;
  /** Minor version of the emulation version. */
  emulationMinor?: string;
  gitCommit: string;
  gitTreeState: string;
  gitVersion: string;
  goVersion: string;
  /** Major version of the binary version. */
  major: string;
  /** Major version of the minimum compatibility version. */
  minCompatibilityMajor?: string;
  /** Minor version of the minimum compatibility version. */
  minCompatibilityMinor?: string;
  /** Minor version of the binary version. */
  minor: string;
  platform: string;
}

/** Alias of {@link Info} under a less ambiguous name. */
export type VersionInfo = Info;
