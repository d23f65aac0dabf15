/**
 * client-go's dynamicinformer and dynamiclister: shared informers and listers for any resource,
 * custom resources included, over the dynamic client, without generated code. Objects are
 * `Unstructured` (plain JSON); read their fields with `@kubets/apimachinery/runtime`'s `nested*`.
 */
import type { Unstructured } from "@kubets/apimachinery/runtime";
import type { GroupVersionResource } from "@kubets/apimachinery/schema";
import type { Indexer, Indexers } from "../cache/store.js";
import {
  newFilteredResourceInformer,
  newResourceInformerFactory,
  newResourceLister,
  type NamespaceLister,
  type ResourceClient,
  type ResourceGenericInformer,
  type ResourceInformerFactory,
  type ResourceInformerFactoryOptions,
  type ResourceLister,
  type TweakListOptionsFunc,
} from "../internal/gvr-factory.js";

export type { ResourceClient as DynamicClientLike, TweakListOptionsFunc } from "../internal/gvr-factory.js";
/** client-go's DynamicSharedInformerFactory. */
export type DynamicSharedInformerFactory = ResourceInformerFactory<Unstructured>;
/** An informer and a dynamic lister of one resource (client-go's informers.GenericInformer). */
export type DynamicGenericInformer = ResourceGenericInformer<Unstructured>;
/** client-go's dynamiclister.Lister. */
export type DynamicLister = ResourceLister<Unstructured>;
/** client-go's dynamiclister.NamespaceLister. */
export type DynamicNamespaceLister = NamespaceLister<Unstructured>;
/** Options of {@link newFilteredDynamicSharedInformerFactory} beyond Go's positional ones. */
export type DynamicInformerFactoryOptions = Pick<ResourceInformerFactoryOptions<Unstructured>, "informerOptions">;

/**
 * client-go's NewDynamicSharedInformerFactory: informers for every namespace, with a default resync
 * period in ms (0 = none). `client` is `@kubets/client/dynamic`'s DynamicClient (or a fake).
 */
export function newDynamicSharedInformerFactory(client: ResourceClient, resyncPeriod: number): DynamicSharedInformerFactory {
  return newResourceInformerFactory<Unstructured>(client, { resyncPeriod });
}

/**
 * client-go's NewFilteredDynamicSharedInformerFactory: informers limited to `namespace` (`""` = all),
 * with `tweakListOptions` applied to every list and watch (e.g. a label selector).
 */
export function newFilteredDynamicSharedInformerFactory(
  client: ResourceClient,
  resyncPeriod: number,
  namespace: string,
  tweakListOptions?: TweakListOptionsFunc,
  options: DynamicInformerFactoryOptions = {},
): DynamicSharedInformerFactory {
  return newResourceInformerFactory<Unstructured>(client, {
    resyncPeriod,
    namespace,
    ...(tweakListOptions !== undefined ? { tweakListOptions } : {}),
    ...options,
  });
}

/** client-go's NewFilteredDynamicInformer: one informer, outside any factory. */
export function newFilteredDynamicInformer(
  client: ResourceClient,
  gvr: GroupVersionResource,
  namespace: string,
  resyncPeriod: number,
  indexers: Indexers<Unstructured>,
  tweakListOptions?: TweakListOptionsFunc,
): DynamicGenericInformer {
  return newFilteredResourceInformer<Unstructured>(client, gvr, namespace, resyncPeriod, indexers, tweakListOptions);
}

/** client-go's dynamiclister.New: a lister over an indexer of unstructured objects. */
export function newDynamicLister(indexer: Indexer<Unstructured>, gvr: GroupVersionResource): DynamicLister {
  return newResourceLister(indexer, gvr);
}
