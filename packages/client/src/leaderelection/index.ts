/**
 * Leader election (client-go tools/leaderelection): a Lease lock and the elector that acquires,
 * renews and releases it.
 */
export {
  JITTER_FACTOR,
  LeaderElectionConfigError,
  LeaderElector,
  isLeaderElectionConfigError,
  newLeaderElector,
  runLeaderElection,
  validateLeaderElectionConfig,
  type LeaderCallbacks,
  type LeaderElectionConfig,
} from "./leaderelection.js";
export {
  LeaseLock,
  leaderElectionRecordToLeaseSpec,
  leaseSpecToLeaderElectionRecord,
  type LeaderElectionRecord,
  type LeaseLockOptions,
  type LeasesGetter,
  type LockEventRecorder,
  type ResourceLock,
} from "./resourcelock.js";
export { HealthzAdaptor, newLeaderHealthzAdaptor } from "./healthz.js";
