/**
 * client-go tools/leaderelection: a leader election over a lock object (a Lease).
 *
 * Candidates try to acquire the lock every `retryPeriod` (with jitter). The leader renews it; a
 * candidate takes it over once the record it observed has not changed for `leaseDuration`, measured
 * on its own clock from when it observed the record (the times written in the lock are never
 * compared with the local clock, so clock skew between candidates does not matter). A leader that
 * cannot renew within `renewDeadline` stops leading.
 *
 * This is a lease, not a fence: for a short while after the leader's renewals stop, it may still act
 * while another candidate has taken over. Pick `leaseDuration` with that in mind.
 */
import { isAlreadyExists, isConflict, isNotFound } from "@kubets/apimachinery/errors";
import { loggerFor, type Logger } from "@kubets/apimachinery/log";
import { nowMicroTime } from "@kubets/apimachinery/meta/v1";
import { jitter, sleep } from "@kubets/apimachinery/util";
import type { LeaderElectionRecord, ResourceLock } from "./resourcelock.js";

/** wait.Jitter factor for the acquire loop; renewDeadline must exceed retryPeriod times this. */
export const JITTER_FACTOR = 1.2;

export interface LeaderCallbacks {
  /**
   * Called when this candidate becomes the leader. `signal` aborts when it stops leading; stop
   * working then. If it returns a promise, the lock is released (releaseOnCancel) only after it settles.
   */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /**
   * Called once when the election ends (as client-go: also when this candidate never led, e.g.
   * when the signal aborts while it is still waiting).
   */
  onStoppedLeading(): void | Promise<void>;
  /** Called when a new leader is observed, including this candidate. */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionConfig {
  lock: ResourceLock;
  /** How long (ms) a non-leader waits after the last observed change before taking over. Whole seconds are written to the lock. */
  leaseDuration: number;
  /** How long (ms) the leader keeps retrying a renewal before it gives up leading. */
  renewDeadline: number;
  /** How long (ms) to wait between attempts. */
  retryPeriod: number;
  callbacks: LeaderCallbacks;
  /** Clear the holder when the signal aborts, so another candidate takes over at once (default false). */
  releaseOnCancel?: boolean;
  /** A name for messages. */
  name?: string;
  /**
   * Where messages go (default: the shared logger's "leaderelection" component, see
   * `setLogger` in `@kubets/apimachinery/log`; errors reach stderr, info is silent).
   */
  logger?: Logger;
  /**
   * Receives each message instead of `logger`.
   * @deprecated Use `logger`.
   */
  log?: (level: "info" | "error", message: string) => void;
  /** The local clock (ms since the epoch); injectable for tests. */
  now?: () => number;
}

/** A LeaderElectionConfig that cannot work; the message names the field (as client-go's). */
export class LeaderElectionConfigError extends Error {
  override readonly name = "LeaderElectionConfigError" as const;
}

export function isLeaderElectionConfigError(err: unknown): err is LeaderElectionConfigError {
  return err instanceof Error && err.name === "LeaderElectionConfigError";
}

/** NewLeaderElector's checks, in client-go's order. Throws LeaderElectionConfigError. */
export function validateLeaderElectionConfig(c: LeaderElectionConfig): void {
  const fail = (m: string): never => {
    throw new LeaderElectionConfigError(m);
  };
  if (!(c.leaseDuration > c.renewDeadline)) fail("leaseDuration must be greater than renewDeadline");
  if (!(c.renewDeadline > JITTER_FACTOR * c.retryPeriod)) fail("renewDeadline must be greater than retryPeriod*JitterFactor");
  if (!(c.leaseDuration >= 1)) fail("leaseDuration must be greater than zero");
  if (!(c.renewDeadline >= 1)) fail("renewDeadline must be greater than zero");
  if (!(c.retryPeriod >= 1)) fail("retryPeriod must be greater than zero");
  if (typeof c.callbacks?.onStartedLeading !== "function") fail("OnStartedLeading callback must not be nil");
  if (typeof c.callbacks?.onStoppedLeading !== "function") fail("OnStoppedLeading callback must not be nil");
  if (!c.lock) fail("Lock must not be nil.");
  if (!c.lock.identity()) fail("Lock identity is empty");
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const EMPTY_RECORD: LeaderElectionRecord = { holderIdentity: "", leaseDurationSeconds: 0, acquireTime: "", renewTime: "", leaderTransitions: 0 };

/** client-go's LeaderElector. Create with {@link newLeaderElector}, then `run(signal)`. */
export class LeaderElector {
  readonly config: LeaderElectionConfig;
  #observedRecord: LeaderElectionRecord = EMPTY_RECORD;
  #observedRaw = "";
  /** Local clock (ms) when the observed record last changed. */
  #observedTime = 0;
  #reportedLeader = "";
  readonly #now: () => number;
  readonly #log: (level: "info" | "error", message: string) => void;

  /** Use {@link newLeaderElector}, which validates the config. */
  constructor(config: LeaderElectionConfig) {
    validateLeaderElectionConfig(config);
    this.config = config;
    this.#now = config.now ?? Date.now;
    const logger = config.logger ?? loggerFor("leaderelection");
    this.#log = config.log ?? ((level, m) => logger[level](m));
  }

  /** The identity of the leader last observed ("" when none). */
  getLeader(): string {
    return this.#observedRecord.holderIdentity;
  }

  /** Whether the last observed record names this candidate. */
  isLeader(): boolean {
    return this.#observedRecord.holderIdentity === this.config.lock.identity();
  }

  /**
   * For health checks (LeaderElector.Check): an error when this candidate believes it leads but has
   * not renewed for longer than leaseDuration + maxTolerableExpiredLease (ms).
   */
  check(maxTolerableExpiredLease: number): Error | undefined {
    if (!this.isLeader()) return undefined;
    if (this.#now() - this.#observedTime > this.config.leaseDuration + maxTolerableExpiredLease) {
      return new Error(`failed election to renew leadership on lease ${this.config.name ?? this.config.lock.describe()}`);
    }
    return undefined;
  }

  /**
   * Runs the election until `signal` aborts or leadership is lost (LeaderElector.Run): acquires,
   * calls onStartedLeading, renews; then (releaseOnCancel) releases and calls onStoppedLeading.
   * Resolves when all of that is done; never rejects (callback errors are logged).
   */
  async run(signal: AbortSignal): Promise<void> {
    try {
      if (!(await this.#acquire(signal))) return;
      const leading = new AbortController();
      let work: Promise<void> = Promise.resolve();
      try {
        work = Promise.resolve(this.config.callbacks.onStartedLeading(leading.signal)).catch((err: unknown) =>
          this.#log("error", `leaderelection ${this.#describe()}: onStartedLeading failed: ${errorText(err)}`),
        );
      } catch (err) {
        this.#log("error", `leaderelection ${this.#describe()}: onStartedLeading failed: ${errorText(err)}`);
      }
      await this.#renew(signal);
      leading.abort(new Error(`stopped leading ${this.#describe()}`));
      this.config.lock.recordEvent("stopped leading");
      await work;
      if (this.config.releaseOnCancel) await this.#release();
    } finally {
      try {
        await this.config.callbacks.onStoppedLeading();
      } catch (err) {
        this.#log("error", `leaderelection ${this.#describe()}: onStoppedLeading failed: ${errorText(err)}`);
      }
    }
  }

  #describe(): string {
    return this.config.name ? `${this.config.name} (${this.config.lock.describe()})` : this.config.lock.describe();
  }

  /** Tries every retryPeriod (jittered) until it holds the lock (true) or the signal aborts (false). */
  async #acquire(signal: AbortSignal): Promise<boolean> {
    this.#log("info", `leaderelection ${this.#describe()}: attempting to acquire leader lease`);
    while (!signal.aborted) {
      const ok = await this.#tryAcquireOrRenew(signal);
      this.#maybeReportTransition();
      if (ok) {
        this.config.lock.recordEvent("became leader");
        this.#log("info", `leaderelection ${this.#describe()}: successfully acquired lease`);
        return true;
      }
      try {
        await sleep(jitter(this.config.retryPeriod, JITTER_FACTOR), signal);
      } catch {
        return false;
      }
    }
    return false;
  }

  /** Renews every retryPeriod; returns when a renewal does not succeed within renewDeadline, or the signal aborts. */
  async #renew(signal: AbortSignal): Promise<void> {
    for (;;) {
      if (signal.aborted) return;
      const attempt = AbortSignal.any([signal, AbortSignal.timeout(this.config.renewDeadline)]);
      let renewed = false;
      while (!attempt.aborted) {
        if (await this.#tryAcquireOrRenew(attempt)) {
          renewed = true;
          break;
        }
        try {
          await sleep(this.config.retryPeriod, attempt);
        } catch {
          break;
        }
      }
      this.#maybeReportTransition();
      if (!renewed) {
        this.#log("info", `leaderelection ${this.#describe()}: failed to renew lease${signal.aborted ? " (cancelled)" : " within renewDeadline"}`);
        return;
      }
      try {
        await sleep(this.config.retryPeriod, signal);
      } catch {
        return;
      }
    }
  }

  async #release(): Promise<boolean> {
    const signal = AbortSignal.timeout(this.config.renewDeadline);
    for (;;) {
      let old: LeaderElectionRecord;
      try {
        old = (await this.config.lock.get(signal)).record;
      } catch (err) {
        if (!isNotFound(err)) this.#log("error", `leaderelection ${this.#describe()}: error retrieving lease lock: ${errorText(err)}`);
        return false;
      }
      if (!this.isLeader()) return true;
      const now = nowMicroTime();
      const record: LeaderElectionRecord = { holderIdentity: "", leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaderTransitions: old.leaderTransitions };
      try {
        await this.config.lock.update(record, signal);
      } catch (err) {
        if (isConflict(err) && !signal.aborted) continue;
        this.#log("error", `leaderelection ${this.#describe()}: failed to release lease: ${errorText(err)}`);
        return false;
      }
      this.#setObservedRecord(record);
      return true;
    }
  }

  /** One attempt (tryAcquireOrRenew): true when this candidate holds the lock afterwards. */
  async #tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const lock = this.config.lock;
    const now = this.#now();
    const stamp = nowMicroTime();
    const record: LeaderElectionRecord = {
      holderIdentity: lock.identity(),
      leaseDurationSeconds: Math.floor(this.config.leaseDuration / 1000),
      acquireTime: stamp,
      renewTime: stamp,
      leaderTransitions: 0,
    };

    // Fast path: we lead and our view is fresh; write over the lock we last saw.
    if (this.isLeader() && this.#isLeaseValid(now)) {
      const observed = this.#observedRecord;
      record.acquireTime = observed.acquireTime;
      record.leaderTransitions = observed.leaderTransitions;
      try {
        await lock.update(record, signal);
        this.#setObservedRecord(record);
        return true;
      } catch (err) {
        if (signal.aborted) return false;
        this.#log("info", `leaderelection ${this.#describe()}: failed to update lease optimistically, falling back to slow path: ${errorText(err)}`);
      }
    }

    let old: LeaderElectionRecord;
    let oldRaw: string;
    try {
      ({ record: old, raw: oldRaw } = await lock.get(signal));
    } catch (err) {
      if (signal.aborted) return false;
      if (!isNotFound(err)) {
        this.#log("error", `leaderelection ${this.#describe()}: error retrieving lease lock: ${errorText(err)}`);
        return false;
      }
      try {
        await lock.create(record, signal);
      } catch (createErr) {
        if (signal.aborted) return false;
        // Another candidate created it first: an ordinary race, the next attempt reads it.
        this.#log(isAlreadyExists(createErr) ? "info" : "error", `leaderelection ${this.#describe()}: error initially creating lease lock: ${errorText(createErr)}`);
        return false;
      }
      this.#setObservedRecord(record);
      return true;
    }

    if (this.#observedRaw !== oldRaw) {
      this.#setObservedRecord(old);
      this.#observedRaw = oldRaw;
    }
    if (old.holderIdentity !== "" && this.#isLeaseValid(now) && !this.isLeader()) return false;

    if (this.isLeader()) {
      record.acquireTime = old.acquireTime;
      record.leaderTransitions = old.leaderTransitions;
      if (old.strategy) record.strategy = old.strategy;
    } else {
      record.leaderTransitions = old.leaderTransitions + 1;
    }
    try {
      await lock.update(record, signal);
    } catch (err) {
      if (signal.aborted) return false;
      this.#log(isConflict(err) ? "info" : "error", `leaderelection ${this.#describe()}: failed to update lease: ${errorText(err)}`);
      return false;
    }
    this.#setObservedRecord(record);
    return true;
  }

  #isLeaseValid(now: number): boolean {
    return this.#observedTime + this.#observedRecord.leaseDurationSeconds * 1000 > now;
  }

  #setObservedRecord(record: LeaderElectionRecord): void {
    this.#observedRecord = { ...record };
    this.#observedTime = this.#now();
  }

  #maybeReportTransition(): void {
    const holder = this.#observedRecord.holderIdentity;
    if (holder === this.#reportedLeader) return;
    this.#reportedLeader = holder;
    const cb = this.config.callbacks.onNewLeader;
    if (cb) {
      queueMicrotask(() => {
        try {
          cb(holder);
        } catch (err) {
          this.#log("error", `leaderelection ${this.#describe()}: onNewLeader failed: ${errorText(err)}`);
        }
      });
    }
  }
}

/** NewLeaderElector: validates the config (throws LeaderElectionConfigError) and returns an elector. */
export function newLeaderElector(config: LeaderElectionConfig): LeaderElector {
  return new LeaderElector(config);
}

/**
 * RunOrDie: validates the config (an invalid one throws LeaderElectionConfigError at once, before any
 * promise), then runs the election until `signal` aborts or leadership is lost. The promise never rejects.
 */
export function runLeaderElection(config: LeaderElectionConfig, signal: AbortSignal): Promise<void> {
  return newLeaderElector(config).run(signal);
}
