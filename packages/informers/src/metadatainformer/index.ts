/**
 * client-go's metadatainformer and metadatalister: shared informers and listers that cache only
 * the metadata of any resource (PartialObjectMetadata), over the metadata client, which asks the
 * server to send nothing else (content negotiation, `as=PartialObjectMetadata`). A cheap way to
 * watch many or large objects (Secrets, ConfigMaps) when only names, labels, owners matter.
 */
import type { PartialObjectMetadata } from "@kubets/apimachinery/meta/v1";
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

export type { ResourceClient as MetadataClientLike, TweakListOptionsFunc } from "../internal/gvr-factory.js";
/** client-go's metadatainformer.SharedInformerFactory. */
export type MetadataSharedInformerFactory = ResourceInformerFactory<PartialObjectMetadata>;
/** An informer and a metadata lister of one resource. */
export type MetadataGenericInformer = ResourceGenericInformer<PartialObjectMetadata>;
/** client-go's metadatalister.Lister. */
export type MetadataLister = ResourceLister<PartialObjectMetadata>;
/** client-go's metadatalister.NamespaceLister. */
export type MetadataNamespaceLister = NamespaceLister<PartialObjectMetadata>;
/** Options of {@link newFilteredSharedInformerFactory} beyond Go's positional ones. */
export type MetadataInformerFactoryOptions = Pick<ResourceInformerFactoryOptions<PartialObjectMetadata>, "informerOptions">;

/** client-go's metadatainformer.NewSharedInformerFactory. `client` is `@kubets/client/metadata`'s MetadataClient. */
export function newSharedInformerFactory(client: ResourceClient, resyncPeriod: number): MetadataSharedInformerFactory {
  return newResourceInformerFactory<PartialObjectMetadata>(client, { resyncPeriod });
}

/** client-go's metadatainformer.NewFilteredSharedInformerFactory. */
export function newFilteredSharedInformerFactory(
  client: ResourceClient,
  resyncPeriod: number,
  namespace: string,
  tweakListOptions?: TweakListOptionsFunc,
  options: MetadataInformerFactoryOptions = {},
): MetadataSharedInformerFactory {
  return newResourceInformerFactory<PartialObjectMetadata>(client, {
    resyncPeriod,
    namespace,
    ...(tweakListOptions !== undefined ? { tweakListOptions } : {}),
    ...options,
  });
}

/** client-go's metadatainformer.NewFilteredMetadataInformer. */
export function newFilteredMetadataInformer(
  client: ResourceClient,
  gvr: GroupVersionResource,
  namespace: string,
  resyncPeriod: number,
  indexers: Indexers<PartialObjectMetadata>,
  tweakListOptions?: TweakListOptionsFunc,
): MetadataGenericInformer {
  return newFilteredResourceInformer<PartialObjectMetadata>(client, gvr, namespace, resyncPeriod, indexers, tweakListOptions);
}

/** client-go's metadatalister.New. */
export function newMetadataLister(indexer: Indexer<PartialObjectMetadata>, gvr: GroupVersionResource): MetadataLister {
  return newResourceLister(indexer, gvr);
}
