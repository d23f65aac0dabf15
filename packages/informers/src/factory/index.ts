/** The shared informer factory skeleton (client-go informers/factory.go). */
export type { NewInformerFunc, SharedInformerFactoryOptions } from "./shared-informer-factory.js";
export { SharedInformerFactory } from "./shared-informer-factory.js";
