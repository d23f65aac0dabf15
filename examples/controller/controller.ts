/**
 * A small controller in client-go's shape: a shared informer on ConfigMaps feeds keys into a
 * rate-limited workqueue; workers read the object from the informer's cache (the lister) and write an
 * annotation with the hash of its data back through the typed clientset. Failed writes are retried
 * with the queue's per-item exponential backoff, then dropped after `maxRetries`.
 *
 * Only ConfigMaps labelled `example.kubets.dev/hash=true` are handled (the informer lists and watches
 * with that label selector).
 */
import { createHash } from "node:crypto";
import type { ConfigMap } from "@kubets/api/core/v1";
import { isNotFound } from "@kubets/apimachinery/errors";
import type { EventRecorder } from "@kubets/client/events";
import type { Clientset } from "@kubets/client/kubernetes";
import { PatchType } from "@kubets/client/rest";
import { deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc, splitMetaNamespaceKey } from "@kubets/informers";
import { newSharedInformerFactory } from "@kubets/informers/informers";
import { defaultTypedControllerRateLimiter, newTypedRateLimitingQueueWithConfig, type TypedRateLimitingInterface } from "@kubets/workqueue";

export const LABEL = "example.kubets.dev/hash";
export const ANNOTATION = "example.kubets.dev/data-hash";
export const FIELD_MANAGER = "kubets-example-controller";

/** The hash the controller writes: sha256 over the sorted keys and values of data and binaryData. */
export function dataHash(cm: ConfigMap): string {
  const h = createHash("sha256");
  for (const [field, map] of [
    ["data", cm.data],
    ["binaryData", cm.binaryData],
  ] as const) {
    for (const k of Object.keys(map ?? {}).sort()) h.update(`${field}\0${k}\0${map![k]}\0`);
  }
  return h.digest("hex").slice(0, 16);
}

export interface ControllerOptions {
  /** Watch one namespace ("" or unset: all namespaces). */
  namespace?: string;
  /** Parallel workers (default 2). */
  workers?: number;
  /** Attempts per key before it is dropped (default 5). */
  maxRetries?: number;
  /** Where errors go (default console.error). */
  log?: (message: string) => void;
  /** When set, each annotation write is also recorded as an event (events.k8s.io/v1) on the ConfigMap. */
  recorder?: EventRecorder;
}

export class ConfigMapHashController {
  readonly queue: TypedRateLimitingInterface<string>;
  /** Counters, for logs and tests. */
  readonly stats = { reconciles: 0, writes: 0, retries: 0, dropped: 0 };
  readonly #cs: Clientset;
  readonly #factory;
  readonly #configMaps;
  readonly #workers: number;
  readonly #maxRetries: number;
  readonly #log: (message: string) => void;
  readonly #recorder: EventRecorder | undefined;
  #running = false;

  constructor(cs: Clientset, options: ControllerOptions = {}) {
    this.#cs = cs;
    this.#workers = options.workers ?? 2;
    this.#maxRetries = options.maxRetries ?? 5;
    this.#log = options.log ?? ((m) => console.error(m));
    this.#recorder = options.recorder;
    this.queue = newTypedRateLimitingQueueWithConfig<string>(defaultTypedControllerRateLimiter(), { name: "configmap-hash" });
    this.#factory = newSharedInformerFactory(cs, {
      ...(options.namespace ? { namespace: options.namespace } : {}),
      tweakListOptions: (o) => {
        o.labelSelector = `${LABEL}=true`;
      },
    });
    this.#configMaps = this.#factory.core().v1().configMaps();
    this.#configMaps.informer().addEventHandler({
      onAdd: (cm) => this.queue.add(metaNamespaceKeyFunc(cm)),
      onUpdate: (_old, cm) => this.queue.add(metaNamespaceKeyFunc(cm)),
      onDelete: (cm) => this.queue.forget(deletionHandlingMetaNamespaceKeyFunc(cm)),
    });
  }

  /** Brings one ConfigMap to the desired state: its annotation equals the hash of its data. */
  async reconcile(key: string): Promise<void> {
    this.stats.reconciles++;
    const { namespace, name } = splitMetaNamespaceKey(key);
    let cm: ConfigMap;
    try {
      cm = this.#configMaps.lister().configMaps(namespace).get(name);
    } catch (err) {
      if (isNotFound(err)) return; // deleted since it was queued
      throw err;
    }
    const want = dataHash(cm);
    if (cm.metadata?.annotations?.[ANNOTATION] === want) return;
    try {
      // A merge patch of the one annotation: no read-modify-write, so no conflicts with other writers.
      await this.#cs.coreV1().configMaps(namespace).patch(name, PatchType.Merge, { metadata: { annotations: { [ANNOTATION]: want } } }, { fieldManager: FIELD_MANAGER });
      this.stats.writes++;
      this.#recorder?.eventf({ ...cm, apiVersion: "v1", kind: "ConfigMap" }, undefined, "Normal", "DataHashWritten", "Annotate", "wrote %s=%s", ANNOTATION, want);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }

  async #worker(): Promise<void> {
    for (;;) {
      const { item: key, shutdown } = await this.queue.get();
      if (shutdown) return;
      try {
        await this.reconcile(key);
        this.queue.forget(key);
      } catch (err) {
        if (this.queue.numRequeues(key) < this.#maxRetries) {
          this.stats.retries++;
          this.#log(`configmap-hash: ${key}: ${err instanceof Error ? err.message : String(err)} (retrying)`);
          this.queue.addRateLimited(key);
        } else {
          this.stats.dropped++;
          this.#log(`configmap-hash: ${key}: dropped after ${this.#maxRetries} retries: ${err instanceof Error ? err.message : String(err)}`);
          this.queue.forget(key);
        }
      } finally {
        this.queue.done(key);
      }
    }
  }

  /** True while workers run (from the end of the cache sync until they have all returned). */
  get running(): boolean {
    return this.#running;
  }

  /**
   * Runs until `signal` aborts: starts the informer, waits for its cache, then the workers. Resolves
   * once the workers have returned and the informer has stopped. One run per instance.
   */
  async run(signal: AbortSignal): Promise<void> {
    this.#factory.start(signal);
    const synced = await this.#factory.waitForCacheSync(signal);
    const start = !signal.aborted && [...synced.values()].every(Boolean);
    this.#running = start;
    const workers = start ? Array.from({ length: this.#workers }, () => this.#worker()) : [];
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    this.queue.shutDown();
    await Promise.all(workers);
    this.#running = false;
    await this.#factory.shutdown();
  }
}
