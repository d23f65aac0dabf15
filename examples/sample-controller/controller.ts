/**
 * client-go's sample-controller, without generated code: a controller for the `Foo` custom resource
 * (spec.deploymentName, spec.replicas) that owns a Deployment of that name and size.
 *
 * - dynamic shared informers for Foos and Deployments (`@kubets/informers/dynamicinformer`);
 * - a rate-limited workqueue of Foo keys (`@kubets/workqueue`); a Deployment change enqueues the Foo
 *   that controls it (its controller owner reference);
 * - workers that create the Deployment (with an owner reference to the Foo, so the controller-manager's
 *   garbage collector deletes it with the Foo), scale it to spec.replicas, and write the Foo's status:
 *   `availableReplicas` and two conditions set with `setStatusCondition`;
 * - core/v1 events on the Foo (`@kubets/client/record`), as `kubectl describe foo` shows them.
 */
import type { Deployment } from "@kubets/api/apps/v1";
import { isNotFound } from "@kubets/apimachinery/errors";
import { semantic } from "@kubets/apimachinery/equality";
import { setStatusCondition } from "@kubets/apimachinery/meta";
import type { Condition, OwnerReference } from "@kubets/apimachinery/meta/v1";
import { nestedInt64, nestedString, setNestedField, toUnstructured, type Unstructured } from "@kubets/apimachinery/runtime";
import type { DynamicClient } from "@kubets/client/dynamic";
import type { EventRecorder } from "@kubets/client/record";
import { isDeletedFinalStateUnknown, metaNamespaceKeyFunc, splitMetaNamespaceKey, waitForNamedCacheSync } from "@kubets/informers";
import { newFilteredDynamicSharedInformerFactory, type DynamicGenericInformer, type DynamicSharedInformerFactory } from "@kubets/informers/dynamicinformer";
import { defaultTypedControllerRateLimiter, newTypedRateLimitingQueueWithConfig, type TypedRateLimitingInterface } from "@kubets/workqueue";
import { DEPLOYMENTS, FOOS, GROUP, VERSION } from "./crd.js";

export const CONTROLLER_NAME = "sample-controller";
/** Event reasons and messages, as client-go's sample-controller. */
export const SuccessSynced = "Synced";
export const ErrResourceExists = "ErrResourceExists";
export const MessageResourceExists = "Resource %q already exists and is not managed by Foo";
export const MessageResourceSynced = "Foo synced successfully";
/** Condition types written on the Foo. */
export const ConditionDeploymentReady = "DeploymentReady";
export const ConditionAvailable = "Available";

/** A Foo key could not be synced this time; it goes back to the queue with backoff. */
export class SyncError extends Error {
  override readonly name = "SyncError" as const;
}

export interface ControllerOptions {
  /** Watch one namespace ("" or unset: all). */
  namespace?: string;
  /** Parallel workers (default 2). */
  workers?: number;
  /** Attempts per key before it is dropped (default 10). */
  maxRetries?: number;
  /** core/v1 events on the Foos (optional). */
  recorder?: EventRecorder;
  /** Where errors go (default console.error). */
  log?: (message: string) => void;
}

/** The Deployment a Foo wants: its name and replicas, an nginx pod, and a controller owner reference to the Foo. */
export function newDeployment(foo: Unstructured): Deployment {
  const name = nestedString(foo, "spec", "deploymentName") ?? "";
  const fooName = foo.metadata?.name ?? "";
  const labels = { app: "nginx", controller: fooName };
  const owner: OwnerReference = {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: "Foo",
    name: fooName,
    uid: foo.metadata?.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: foo.metadata?.namespace ?? "", ownerReferences: [owner] },
    spec: {
      replicas: Number(nestedInt64(foo, "spec", "replicas") ?? 1),
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: "nginx", image: "nginx:latest" }] } },
    },
  };
}

/** The status of a Foo (the CRD's schema). */
export interface FooStatus {
  availableReplicas?: number;
  conditions?: Condition[];
}

function controllerOf(obj: Unstructured): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

export class FooController {
  readonly queue: TypedRateLimitingInterface<string>;
  /** Counters, for logs and tests. */
  readonly stats = { syncs: 0, created: 0, scaled: 0, statusWrites: 0, statusSkipped: 0, retries: 0, dropped: 0 };
  readonly #dyn: DynamicClient;
  readonly #factory: DynamicSharedInformerFactory;
  readonly #foos: DynamicGenericInformer;
  readonly #deployments: DynamicGenericInformer;
  readonly #workers: number;
  readonly #maxRetries: number;
  readonly #recorder: EventRecorder | undefined;
  readonly #log: (message: string) => void;

  constructor(dyn: DynamicClient, options: ControllerOptions = {}) {
    this.#dyn = dyn;
    this.#workers = options.workers ?? 2;
    this.#maxRetries = options.maxRetries ?? 10;
    this.#recorder = options.recorder;
    this.#log = options.log ?? ((m) => console.error(m));
    this.queue = newTypedRateLimitingQueueWithConfig<string>(defaultTypedControllerRateLimiter(), { name: "Foos" });
    this.#factory = newFilteredDynamicSharedInformerFactory(dyn, 30_000, options.namespace ?? "");
    this.#foos = this.#factory.forResource(FOOS);
    this.#deployments = this.#factory.forResource(DEPLOYMENTS);

    this.#foos.informer().addEventHandler({
      onAdd: (foo) => this.#enqueueFoo(foo),
      onUpdate: (_old, foo) => this.#enqueueFoo(foo),
    });
    // A Deployment owned by a Foo: enqueue that Foo. Resyncs (same resourceVersion) change nothing.
    this.#deployments.informer().addEventHandler({
      onAdd: (d) => this.#handleObject(d),
      onUpdate: (old, d) => {
        if (old.metadata?.resourceVersion === d.metadata?.resourceVersion) return;
        this.#handleObject(d);
      },
      onDelete: (d) => this.#handleObject(isDeletedFinalStateUnknown(d) ? d.obj : d),
    });
  }

  #enqueueFoo(foo: Unstructured): void {
    this.queue.add(metaNamespaceKeyFunc(foo));
  }

  #handleObject(obj: Unstructured | undefined): void {
    if (obj === undefined) return;
    const owner = controllerOf(obj);
    if (owner?.kind !== "Foo") return;
    try {
      const foo = this.#foos.lister().namespace(obj.metadata?.namespace ?? "").get(owner.name);
      this.#enqueueFoo(foo);
    } catch (err) {
      if (!isNotFound(err)) throw err; // an orphan: its Foo is gone, the garbage collector deletes it
    }
  }

  /** syncHandler: brings the Deployment and the status of one Foo to what its spec says. */
  async syncHandler(key: string): Promise<void> {
    this.stats.syncs++;
    const { namespace, name } = splitMetaNamespaceKey(key);
    let foo: Unstructured;
    try {
      foo = this.#foos.lister().namespace(namespace).get(name);
    } catch (err) {
      if (isNotFound(err)) return; // deleted: its Deployment goes with it (owner reference)
      throw err;
    }
    const deploymentName = nestedString(foo, "spec", "deploymentName");
    if (!deploymentName) {
      // Nothing to retry until the Foo changes.
      this.#log(`${key}: spec.deploymentName must be set`);
      return;
    }
    const replicas = Number(nestedInt64(foo, "spec", "replicas") ?? 1);
    const deployments = this.#dyn.resource(DEPLOYMENTS).namespace(namespace);
    let deployment: Unstructured;
    try {
      deployment = this.#deployments.lister().namespace(namespace).get(deploymentName);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      deployment = await deployments.create(toUnstructured(newDeployment(foo)));
      this.stats.created++;
    }
    const owner = controllerOf(deployment);
    if (owner?.kind !== "Foo" || owner.uid !== foo.metadata?.uid) {
      this.#recorder?.eventf(foo, "Warning", ErrResourceExists, MessageResourceExists, deploymentName);
      throw new SyncError(`Resource "${deploymentName}" already exists and is not managed by Foo`);
    }
    if (Number(nestedInt64(deployment, "spec", "replicas") ?? 1) !== replicas) {
      // The cached object is shared: change a copy.
      const scaled = structuredClone(deployment);
      setNestedField(scaled, replicas, "spec", "replicas");
      deployment = await deployments.update(scaled);
      this.stats.scaled++;
    }
    await this.#updateFooStatus(foo, deployment, replicas);
    this.#recorder?.event(foo, "Normal", SuccessSynced, MessageResourceSynced);
  }

  async #updateFooStatus(foo: Unstructured, deployment: Unstructured, replicas: number): Promise<void> {
    const available = Number(nestedInt64(deployment, "status", "availableReplicas") ?? 0);
    const generation = Number(nestedInt64(foo, "metadata", "generation") ?? 0);
    // The Foo's status, in the shape its CRD schema gives it.
    const status = structuredClone((foo["status"] ?? {}) as FooStatus);
    status.availableReplicas = available;
    const conditions = (status.conditions ??= []);
    setStatusCondition(conditions, {
      type: ConditionDeploymentReady,
      status: "True",
      reason: "DeploymentUpToDate",
      message: `Deployment ${String(deployment.metadata?.name)} has ${replicas} replicas`,
      observedGeneration: generation,
    });
    setStatusCondition(conditions, {
      type: ConditionAvailable,
      status: available >= replicas ? "True" : "False",
      reason: available >= replicas ? "ReplicasAvailable" : "ReplicasUnavailable",
      message: `${available} of ${replicas} replicas available`,
      observedGeneration: generation,
    });
    // Skip the write when nothing changed (Quantities and Times compared by value).
    if (semantic.deepEqual(status, foo["status"])) {
      this.stats.statusSkipped++;
      return;
    }
    await this.#dyn.resource(FOOS).namespace(foo.metadata?.namespace ?? "").updateStatus({ ...structuredClone(foo), status });
    this.stats.statusWrites++;
  }

  async #worker(): Promise<void> {
    for (;;) {
      const { item: key, shutdown } = await this.queue.get();
      if (shutdown) return;
      try {
        await this.syncHandler(key);
        this.queue.forget(key);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        if (this.queue.numRequeues(key) < this.#maxRetries) {
          this.stats.retries++;
          this.#log(`error syncing ${JSON.stringify(key)}: ${msg}, requeuing`);
          this.queue.addRateLimited(key);
        } else {
          this.stats.dropped++;
          this.#log(`dropping ${JSON.stringify(key)} after ${this.#maxRetries} retries: ${msg}`);
          this.queue.forget(key);
        }
      } finally {
        this.queue.done(key);
      }
    }
  }

  /** Runs until `signal` aborts: starts the informers, waits for their caches, runs the workers. */
  async run(signal: AbortSignal): Promise<void> {
    this.#factory.start(signal);
    const synced = await waitForNamedCacheSync(CONTROLLER_NAME, signal, this.#factory);
    const workers = synced ? Array.from({ length: this.#workers }, () => this.#worker()) : [];
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    this.queue.shutDown();
    await Promise.all(workers);
    await this.#factory.shutdown();
  }
}
