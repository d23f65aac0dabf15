/**
 * Typed informers and listers for every built-in resource (client-go informers and listers):
 * `newSharedInformerFactory(clientset, { resyncPeriod, namespace, tweakListOptions })`, then
 * `factory.core().v1().pods().informer()` and `.lister().pods(ns).get(name)`.
 */
export * from "../gen/index.js";
export {
  NoInformerError,
  buildInformerFactory,
  isNoInformerError,
  type GenericInformer,
  informerKey,
  type ClusterLister,
  type InformerFactoryBase,
  type InformerFactoryOptions,
  type InformerGroupVersionTable,
  type InformerRow,
  type NamespaceLister,
  type NamespacedLister,
  type ResourceInformer,
} from "./factory.js";
