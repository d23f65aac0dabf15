/**
 * client-go tools/leaderelection/resourcelock: the record a leader election keeps in a lock object,
 * and the coordination.k8s.io/v1 Lease lock (`LeaseLock`).
 */
import type { Lease, LeaseSpec } from "@kubets/api/coordination/v1";
import type { LeaseInterface } from "../gen/kubernetes/typed/coordination/v1.js";

/** What a lock holds (resourcelock.LeaderElectionRecord). Times are meta/v1 MicroTime strings. */
export interface LeaderElectionRecord {
  /** The current holder; "" when released. */
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: string;
  renewTime: string;
  leaderTransitions: number;
  strategy?: string;
  preferredHolder?: string;
}

/** A source of events about the lock (resourcelock.EventRecorder). */
export interface LockEventRecorder {
  eventf(regarding: object, related: object | undefined, type: string, reason: string, action: string, note: string, ...args: unknown[]): void;
}

/** A lock object's operations (resourcelock.Interface). `raw` is what the elector compares to detect change. */
export interface ResourceLock {
  get(signal?: AbortSignal): Promise<{ record: LeaderElectionRecord; raw: string }>;
  create(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void>;
  update(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void>;
  recordEvent(message: string): void;
  /** `namespace/name`, for messages. */
  describe(): string;
  identity(): string;
}

/** Anything with `leases(namespace)` (client-go LeasesGetter): `clientset.coordinationV1()`. */
export interface LeasesGetter {
  leases(namespace: string): Pick<LeaseInterface, "get" | "create" | "update">;
}

/** Options of {@link LeaseLock}: the Lease to hold, the client that reaches it and who is asking. */
export interface LeaseLockOptions {
  /** The Lease's namespace and name. */
  namespace: string;
  name: string;
  /** `clientset.coordinationV1()`. */
  client: LeasesGetter;
  /** This candidate's identity (unique per process: the pod name, hostname plus a random suffix, ...). */
  identity: string;
  /** Labels set on the Lease when it is created or updated. */
  labels?: Record<string, string>;
  /** When set, "became leader" and "stopped leading" are recorded as events on the Lease. */
  eventRecorder?: LockEventRecorder;
}

/** resourcelock.LeaseSpecToLeaderElectionRecord. */
export function leaseSpecToLeaderElectionRecord(spec: LeaseSpec | undefined): LeaderElectionRecord {
  const r: LeaderElectionRecord = {
    holderIdentity: spec?.holderIdentity ?? "",
    leaseDurationSeconds: spec?.leaseDurationSeconds ?? 0,
    acquireTime: spec?.acquireTime ?? "",
    renewTime: spec?.renewTime ?? "",
    leaderTransitions: spec?.leaseTransitions ?? 0,
  };
  if (spec?.strategy) r.strategy = spec.strategy;
  if (spec?.preferredHolder) r.preferredHolder = spec.preferredHolder;
  return r;
}

/** resourcelock.LeaderElectionRecordToLeaseSpec. */
export function leaderElectionRecordToLeaseSpec(r: LeaderElectionRecord): LeaseSpec {
  const spec: LeaseSpec = {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    leaseTransitions: r.leaderTransitions,
  };
  if (r.acquireTime) spec.acquireTime = r.acquireTime;
  if (r.renewTime) spec.renewTime = r.renewTime;
  if (r.strategy) spec.strategy = r.strategy;
  if (r.preferredHolder) spec.preferredHolder = r.preferredHolder;
  return spec;
}

/** The record in a fixed field order, so equal records give equal strings. */
export function rawRecord(r: LeaderElectionRecord): string {
  return JSON.stringify([r.holderIdentity, r.leaseDurationSeconds, r.acquireTime, r.renewTime, r.leaderTransitions, r.strategy ?? "", r.preferredHolder ?? ""]);
}

/**
 * A lock on a coordination.k8s.io/v1 Lease (resourcelock.LeaseLock). Updates send the
 * resourceVersion of the Lease last read or written, so a write over someone else's change fails
 * with 409 Conflict (optimistic concurrency).
 */
export class LeaseLock implements ResourceLock {
  readonly namespace: string;
  readonly name: string;
  readonly #client: LeasesGetter;
  readonly #identity: string;
  readonly #labels: Record<string, string> | undefined;
  readonly #recorder: LockEventRecorder | undefined;
  #lease: Lease | undefined;

  constructor(options: LeaseLockOptions) {
    this.namespace = options.namespace;
    this.name = options.name;
    this.#client = options.client;
    this.#identity = options.identity;
    this.#labels = options.labels;
    this.#recorder = options.eventRecorder;
  }

  /** The Lease as last read or written (undefined before the first get or create). */
  get lease(): Lease | undefined {
    return this.#lease;
  }

  async get(signal?: AbortSignal): Promise<{ record: LeaderElectionRecord; raw: string }> {
    const lease = await this.#client.leases(this.namespace).get(this.name, signal ? { signal } : {});
    this.#lease = lease;
    const record = leaseSpecToLeaderElectionRecord(lease.spec);
    return { record, raw: rawRecord(record) };
  }

  async create(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void> {
    const lease: Lease = {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: this.name, namespace: this.namespace, ...(this.#labels ? { labels: { ...this.#labels } } : {}) },
      spec: leaderElectionRecordToLeaseSpec(record),
    };
    this.#lease = await this.#client.leases(this.namespace).create(lease, signal ? { signal } : {});
  }

  async update(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void> {
    const current = this.#lease;
    if (current === undefined) throw new Error(`lease ${this.describe()} not initialized: call get or create first`);
    const metadata = { ...current.metadata };
    if (this.#labels) metadata.labels = { ...metadata.labels, ...this.#labels };
    const next: Lease = { ...current, apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata, spec: leaderElectionRecordToLeaseSpec(record) };
    this.#lease = await this.#client.leases(this.namespace).update(next, signal ? { signal } : {});
  }

  recordEvent(message: string): void {
    if (!this.#recorder) return;
    const subject = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: this.#lease?.metadata ?? { name: this.name, namespace: this.namespace } };
    this.#recorder.eventf(subject, undefined, "Normal", "LeaderElection", "LeaderElection", "%s", `${this.#identity} ${message}`);
  }

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }

  identity(): string {
    return this.#identity;
  }
}
