/** client-go leaderelection.HealthzAdaptor: a health check that fails when the leader stopped renewing. */
import type { LeaderElector } from "./leaderelection.js";

/**
 * A health check for a leader elector (client-go's HealthzAdaptor): `check()` fails when this process
 * should lead but has not renewed its lease in time; create it with {@link newLeaderHealthzAdaptor}.
 */
export class HealthzAdaptor {
  readonly #timeout: number;
  #le: LeaderElector | undefined;

  /** `timeout` (ms): how long past the lease duration a leader may go without renewing before it is unhealthy. */
  constructor(timeout: number) {
    this.#timeout = timeout;
  }

  name(): string {
    return "leaderElection";
  }

  /** undefined when healthy (or not leading, or no elector yet); an Error otherwise. */
  check(): Error | undefined {
    return this.#le?.check(this.#timeout);
  }

  setLeaderElection(le: LeaderElector): void {
    this.#le = le;
  }
}

/** NewLeaderHealthzAdaptor. */
export function newLeaderHealthzAdaptor(timeout: number): HealthzAdaptor {
  return new HealthzAdaptor(timeout);
}
