/**
 * The controller behind leader election (client-go tools/leaderelection): several replicas run, one
 * holds the Lease and runs the informer and workers; the others wait and take over when it stops.
 *
 * As in client-go, an election ends when leadership is lost; `run` then resolves with `lost: true`
 * and the process should exit so that it starts again as a candidate (in a pod: the container restarts).
 */
import type { EventRecorder } from "@kubets/client/events";
import type { Clientset } from "@kubets/client/kubernetes";
import { LeaseLock, newLeaderElector, type LeaderElector } from "@kubets/client/leaderelection";
import { ConfigMapHashController, type ControllerOptions } from "./controller.js";

export const LEASE_NAME = "kubets-example-configmap-hash";

export interface LeaderElectedOptions extends ControllerOptions {
  /** Namespace of the Lease. */
  leaseNamespace: string;
  /** Name of the Lease (default {@link LEASE_NAME}). */
  leaseName?: string;
  /** This replica's identity: unique among replicas (the pod name, hostname plus a random suffix). */
  identity: string;
  /** ms; defaults as client-go's usual controller flags: 15 s, 10 s, 2 s. */
  leaseDuration?: number;
  renewDeadline?: number;
  retryPeriod?: number;
  /** Called with the identity of each new leader. */
  onNewLeader?: (identity: string) => void;
  /** Records "became leader"/"stopped leading" on the Lease and hash writes on ConfigMaps. */
  recorder?: EventRecorder;
}

export class LeaderElectedController {
  readonly elector: LeaderElector;
  /** The controller while this replica leads (a fresh one per term), else undefined. */
  controller: ConfigMapHashController | undefined;
  /** Terms this replica has led. */
  terms = 0;

  constructor(cs: Clientset, options: LeaderElectedOptions) {
    const log = options.log ?? ((m: string) => console.error(m));
    this.elector = newLeaderElector({
      lock: new LeaseLock({
        namespace: options.leaseNamespace,
        name: options.leaseName ?? LEASE_NAME,
        client: cs.coordinationV1(),
        identity: options.identity,
        ...(options.recorder ? { eventRecorder: options.recorder } : {}),
      }),
      leaseDuration: options.leaseDuration ?? 15_000,
      renewDeadline: options.renewDeadline ?? 10_000,
      retryPeriod: options.retryPeriod ?? 2_000,
      releaseOnCancel: true, // the next leader need not wait for the lease to expire
      name: "configmap-hash",
      log: (level, m) => (level === "error" ? log(m) : undefined),
      callbacks: {
        // Only the leader runs the informer and the workers; they stop when leading stops, and the
        // Lease is released only after they have returned.
        onStartedLeading: async (signal) => {
          this.terms++;
          const controller = new ConfigMapHashController(cs, options);
          this.controller = controller;
          try {
            await controller.run(signal);
          } finally {
            this.controller = undefined;
          }
        },
        onStoppedLeading: () => undefined,
        onNewLeader: (id) => options.onNewLeader?.(id),
      },
    });
  }

  /** Whether the workers of this replica are running now. */
  get working(): boolean {
    return this.controller?.running ?? false;
  }

  /** Campaigns, leads, and resolves when `signal` aborts (lost: false) or leadership is lost (lost: true). */
  async run(signal: AbortSignal): Promise<{ lost: boolean }> {
    await this.elector.run(signal);
    return { lost: !signal.aborted };
  }
}
