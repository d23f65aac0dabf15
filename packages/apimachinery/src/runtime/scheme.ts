/**
 * Scheme (k8s.io/apimachinery/pkg/runtime.Scheme): a registry from GroupVersionKind to what
 * kubets knows about that kind: its list kind, protobuf codec hooks and defaulting.
 *
 * There are no Go types to reflect on: objects are plain JSON, so a kind is registered by
 * name with optional hooks, and objects are identified by their apiVersion and kind.
 */
import type { GroupKind, GroupVersion, GroupVersionKind } from "../schema/index.js";
import {
  groupVersionEquals,
  groupVersionKindToString,
  groupVersionToString,
  withKind,
} from "../schema/index.js";
import { MissingKindError, MissingVersionError, NotRegisteredError, SchemeRegistrationError } from "./errors.js";
import { ProtoReader } from "../protobuf/reader.js";
import { ProtoWriter } from "../protobuf/writer.js";
import type { RuntimeObject } from "./object.js";
import { getObjectKind } from "./object.js";

/** What can be registered for one kind; every hook is optional. */
export interface KindRegistration<T = unknown> {
  /** The kind of the matching list type, e.g. `"PodList"` for `"Pod"`. */
  listKind?: string;
  /** True for list kinds. */
  list?: boolean;
  /** The plural REST resource that serves the kind, e.g. `"pods"`. */
  resource?: string;
  /** Whether that resource is namespaced. */
  namespaced?: boolean;
  // Hooks are declared as methods so a KindRegistration<Pod> is usable where the scheme
  // stores KindRegistration<unknown>.
  /** Encodes the object as the protobuf message of this kind (without the `k8s\0` envelope). */
  encodeProto?(obj: T): Uint8Array;
  /** Decodes the protobuf message of this kind into the JSON shape. */
  decodeProto?(bytes: Uint8Array): T;
  /** Fills defaults in place (Go's defaulting functions). */
  defaults?(obj: T): void;
}

/** A registered kind. */
export interface TypeInfo<T = unknown> extends KindRegistration<T> {
  readonly gvk: GroupVersionKind;
  /** Registered with addUnversionedTypes: the same kind in every version of its group. */
  readonly unversioned: boolean;
}

function key(gvk: GroupVersionKind): string {
  return `${gvk.group}\u0000${gvk.version}\u0000${gvk.kind}`;
}

/** The internal version marker of Go's scheme; never registered by kubets. */
export const APIVersionInternal = "__internal";

/**
 * runtime.Scheme: maps kinds to the types registered for them and back, and knows which versions of each
 * group are preferred.
 */
export class Scheme {
  readonly #name: string;
  readonly #types = new Map<string, TypeInfo>();
  readonly #unversionedKinds = new Map<string, GroupVersionKind>();
  readonly #observed: GroupVersion[] = [];
  readonly #priority = new Map<string, string[]>();

  constructor(options?: { name?: string }) {
    this.#name = options?.name ?? "kubets";
  }

  /** The scheme's name, used in error messages. */
  get name(): string {
    return this.#name;
  }

  #observe(gv: GroupVersion): void {
    if (gv.version.length === 0 || gv.version === APIVersionInternal) return;
    if (!this.#observed.some((o) => groupVersionEquals(o, gv))) this.#observed.push({ group: gv.group, version: gv.version });
  }

  /**
   * Registers kinds of one group version (Go's AddKnownTypes):
   * `scheme.addKnownTypes({ group: "apps", version: "v1" }, { Deployment: { listKind: "DeploymentList", ... }, DeploymentList: {} })`.
   * Registering the same kind again merges the hooks; a different listKind throws.
   */
  addKnownTypes(gv: GroupVersion, kinds: { readonly [kind: string]: KindRegistration | undefined }): void {
    this.#observe(gv);
    for (const kind of Object.keys(kinds)) this.addKnownTypeWithName(withKind(gv, kind), kinds[kind] ?? {});
  }

  /**
   * Registers a generated group version: the `registration` export of every
   * `@kubets/api` group-version module (kinds with protobuf `read`/`write` message codecs).
   */
  addGroupVersion(reg: GroupVersionRegistrationLike): void {
    const gv = { group: reg.group, version: reg.version };
    this.#observe(gv);
    for (const k of reg.kinds) {
      const r: KindRegistration = {};
      if (k.listKind !== undefined) r.listKind = k.listKind;
      if (k.list !== undefined) r.list = k.list;
      if (k.resource !== undefined) r.resource = k.resource;
      if (k.namespaced !== undefined) r.namespaced = k.namespaced;
      const read = k.read;
      if (read !== undefined) r.decodeProto = (bytes) => read(new ProtoReader(bytes));
      const write = k.write;
      if (write !== undefined) {
        r.encodeProto = (obj) => {
          const w = new ProtoWriter();
          write(w, obj);
          return w.finish();
        };
      }
      this.#register(withKind(gv, k.kind), r, false);
    }
  }

  /** Registers one kind under an explicit GVK (Go's AddKnownTypeWithName). */
  addKnownTypeWithName<T>(gvk: GroupVersionKind, registration: KindRegistration<T> = {}): void {
    this.#register(gvk, registration as KindRegistration, false);
  }

  /**
   * Registers kinds that are the same in every version of the group (Go's
   * AddUnversionedTypes), such as Status or APIVersions in the core group.
   */
  addUnversionedTypes(gv: GroupVersion, kinds: { readonly [kind: string]: KindRegistration | undefined }): void {
    this.#observe(gv);
    for (const kind of Object.keys(kinds)) {
      const gvk = withKind(gv, kind);
      const old = this.#unversionedKinds.get(kind);
      if (old !== undefined && key(old) !== key(gvk)) {
        throw new SchemeRegistrationError(
          `${groupVersionKindToString(old)} has already been registered as unversioned kind ${JSON.stringify(kind)} - kind name must be unique in scheme ${JSON.stringify(this.#name)}`,
        );
      }
      this.#unversionedKinds.set(kind, gvk);
      this.#register(gvk, kinds[kind] ?? {}, true);
    }
  }

  #register(gvk: GroupVersionKind, reg: KindRegistration, unversioned: boolean): void {
    if (gvk.version.length === 0) {
      throw new SchemeRegistrationError(`version is required on all types: ${groupVersionKindToString(gvk)}`);
    }
    if (gvk.kind.length === 0) throw new SchemeRegistrationError(`kind is required on all types: ${groupVersionKindToString(gvk)}`);
    this.#observe(gvk);
    const k = key(gvk);
    const old = this.#types.get(k);
    if (old !== undefined && old.listKind !== undefined && reg.listKind !== undefined && old.listKind !== reg.listKind) {
      throw new SchemeRegistrationError(
        `Double registration of different list kinds for ${groupVersionKindToString(gvk)}: old=${old.listKind}, new=${reg.listKind} in scheme ${JSON.stringify(this.#name)}`,
      );
    }
    const info: TypeInfo = { ...old, ...stripUndefined(reg), gvk: { ...gvk }, unversioned: unversioned || (old?.unversioned ?? false) };
    this.#types.set(k, Object.freeze(info));
  }

  /** Adds or replaces the defaulting function of a kind (Go's AddTypeDefaultingFunc). */
  addTypeDefaultingFunc<T>(gvk: GroupVersionKind, fn: (obj: T) => void): void {
    const info = this.#types.get(key(gvk));
    if (info === undefined) throw new NotRegisteredError(gvk, this.#name);
    const defaults = fn as (obj: unknown) => void;
    this.#types.set(key(gvk), Object.freeze({ ...info, defaults }));
  }

  /** What is registered for a GVK, or undefined. */
  typeInfo<T = unknown>(gvk: GroupVersionKind): TypeInfo<T> | undefined {
    return this.#types.get(key(gvk)) as TypeInfo<T> | undefined;
  }

  /** Whether the GVK is registered (Go's Recognizes). */
  recognizes(gvk: GroupVersionKind): boolean {
    return this.#types.has(key(gvk));
  }

  /**
   * The GVKs of an object, from its apiVersion and kind (Go's ObjectKinds for unstructured
   * objects), and whether its kind is unversioned. Throws MissingKindError/MissingVersionError.
   */
  objectKinds(obj: RuntimeObject): { kinds: GroupVersionKind[]; unversioned: boolean } {
    const gvk = getObjectKind(obj);
    if (gvk.kind.length === 0) throw new MissingKindError("unstructured object has no kind");
    if (gvk.version.length === 0) throw new MissingVersionError("unstructured object has no version");
    return { kinds: [gvk], unversioned: this.#types.get(key(gvk))?.unversioned ?? false };
  }

  /** Go's IsUnversioned: `undefined` when the object's kind is not registered. */
  isUnversioned(obj: RuntimeObject): boolean | undefined {
    const info = this.#types.get(key(getObjectKind(obj)));
    return info?.unversioned;
  }

  /**
   * A new, defaulted object of a registered kind: `{ apiVersion, kind }` plus whatever the
   * kind's defaulting function fills in. Throws NotRegisteredError (Go's New).
   */
  newObject<T extends RuntimeObject = RuntimeObject>(gvk: GroupVersionKind): T {
    const info = this.#types.get(key(gvk));
    if (info === undefined) throw new NotRegisteredError(gvk, this.#name);
    const obj = { apiVersion: groupVersionToString(gvk), kind: gvk.kind } as T;
    info.defaults?.(obj);
    return obj;
  }

  /** Applies the defaulting function registered for the object's kind, if any (Go's Default). */
  default(obj: RuntimeObject): void {
    this.#types.get(key(getObjectKind(obj)))?.defaults?.(obj);
  }

  /** The kinds registered for one group version (Go's KnownTypes). */
  knownTypes(gv: GroupVersion): Map<string, TypeInfo> {
    const out = new Map<string, TypeInfo>();
    for (const info of this.#types.values()) {
      if (info.gvk.group === gv.group && info.gvk.version === gv.version) out.set(info.gvk.kind, info);
    }
    return out;
  }

  /** Every registered kind (Go's AllKnownTypes). */
  allKnownTypes(): TypeInfo[] {
    return [...this.#types.values()];
  }

  /** The versions a group kind is registered in, in priority order (Go's VersionsForGroupKind). */
  versionsForGroupKind(gk: GroupKind): GroupVersion[] {
    return this.prioritizedVersionsForGroup(gk.group).filter((gv) => this.#types.has(key(withKind(gv, gk.kind))));
  }

  /** Sets the preferred order of versions of one group (Go's SetVersionPriority). */
  setVersionPriority(...versions: GroupVersion[]): void {
    const groups = new Set<string>();
    for (const v of versions) {
      if (v.version.length === 0 || v.version === APIVersionInternal) {
        throw new SchemeRegistrationError(`internal versions cannot be prioritized: ${groupVersionToString(v)}`);
      }
      groups.add(v.group);
    }
    if (groups.size !== 1) {
      throw new SchemeRegistrationError(`must register versions for exactly one group: ${[...groups].sort().join(", ")}`);
    }
    this.#priority.set([...groups][0] as string, versions.map((v) => v.version));
  }

  /** Prioritized versions first, then the others in registration order. */
  prioritizedVersionsForGroup(group: string): GroupVersion[] {
    const out: GroupVersion[] = (this.#priority.get(group) ?? []).map((version) => ({ group, version }));
    for (const o of this.#observed) {
      if (o.group === group && !out.some((x) => groupVersionEquals(x, o))) out.push(o);
    }
    return out;
  }

  /** Every group's prioritized versions, then the other observed versions. */
  prioritizedVersionsAllGroups(): GroupVersion[] {
    const out: GroupVersion[] = [];
    for (const [group, versions] of this.#priority) for (const version of versions) out.push({ group, version });
    for (const o of this.#observed) if (!out.some((x) => groupVersionEquals(x, o))) out.push(o);
    return out;
  }

  /** One preferred version per group. */
  preferredVersionAllGroups(): GroupVersion[] {
    const out: GroupVersion[] = [];
    for (const [group, versions] of this.#priority) {
      const v = versions[0];
      if (v !== undefined) out.push({ group, version: v });
    }
    for (const o of this.#observed) if (!out.some((x) => x.group === o.group)) out.push(o);
    return out;
  }

  isGroupRegistered(group: string): boolean {
    return this.#observed.some((o) => o.group === group);
  }

  isVersionRegistered(gv: GroupVersion): boolean {
    return this.#observed.some((o) => groupVersionEquals(o, gv));
  }

  /** The list kind registered for a kind, e.g. `{..., kind: "PodList"}` for Pod. */
  listKindFor(gvk: GroupVersionKind): GroupVersionKind | undefined {
    const lk = this.#types.get(key(gvk))?.listKind;
    return lk === undefined ? undefined : withKind(gvk, lk);
  }

  /** Encodes an object with its kind's protobuf hook. Throws NotRegisteredError if none. */
  encodeProto(obj: RuntimeObject): Uint8Array {
    const gvk = getObjectKind(obj);
    const enc = this.#types.get(key(gvk))?.encodeProto;
    if (enc === undefined) throw new NotRegisteredError(gvk, this.#name);
    return enc(obj);
  }

  /** Decodes protobuf bytes of a kind with its hook. Throws NotRegisteredError if none. */
  decodeProto<T = unknown>(gvk: GroupVersionKind, bytes: Uint8Array): T {
    const dec = this.#types.get(key(gvk))?.decodeProto;
    if (dec === undefined) throw new NotRegisteredError(gvk, this.#name);
    return dec(bytes) as T;
  }
}

function stripUndefined(reg: KindRegistration): KindRegistration {
  const out: KindRegistration = {};
  if (reg.listKind !== undefined) out.listKind = reg.listKind;
  if (reg.list !== undefined) out.list = reg.list;
  if (reg.resource !== undefined) out.resource = reg.resource;
  if (reg.namespaced !== undefined) out.namespaced = reg.namespaced;
  if (reg.encodeProto !== undefined) out.encodeProto = reg.encodeProto;
  if (reg.decodeProto !== undefined) out.decodeProto = reg.decodeProto;
  if (reg.defaults !== undefined) out.defaults = reg.defaults;
  return out;
}

/** The shape of a generated group-version registration (structurally typed; see @kubets/api). */
export interface GroupVersionRegistrationLike {
  readonly group: string;
  readonly version: string;
  readonly kinds: readonly {
    readonly kind: string;
    readonly listKind?: string;
    readonly list?: true;
    readonly resource?: string;
    readonly namespaced?: boolean;
    readonly read?: (r: ProtoReader) => unknown;
    readonly write?: (w: ProtoWriter, value: unknown) => void;
  }[];
}

/** A function that registers kinds into a scheme (Go's SchemeBuilder.AddToScheme). */
export type AddToScheme = (scheme: Scheme) => void;

/** Collects registration functions and applies them in order (Go's SchemeBuilder). */
export class SchemeBuilder {
  readonly #fns: AddToScheme[] = [];
  constructor(...fns: AddToScheme[]) {
    this.#fns.push(...fns);
  }
  register(...fns: AddToScheme[]): void {
    this.#fns.push(...fns);
  }
  addToScheme(scheme: Scheme): void {
    for (const fn of this.#fns) fn(scheme);
  }
}
