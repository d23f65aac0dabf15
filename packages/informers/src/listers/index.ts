/** Generic listers over an informer's cache (client-go tools/cache listers.go). */
export type { GenericLister, GenericNamespaceLister, GroupResource, LabelMatcher, Labels } from "./generic-lister.js";
export { everything, listAll, listAllByNamespace, newGenericLister, newGenericNamespaceLister } from "./generic-lister.js";
