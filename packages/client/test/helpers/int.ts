import { testEnv } from "@kubets/testenv/vitest";
import { ClientConfigLoader, type RestConfig } from "@kubets/client/config";
import { RESTClient, type RESTClientOptions } from "@kubets/client/rest";

/** A RestConfig for one of the testenv contexts, through the real kubeconfig loading path. */
export function configFor(context: "admin" | "token" | "restricted"): RestConfig {
  const env = testEnv();
  return { ...new ClientConfigLoader({ explicitPath: env.kubeconfigPath, context: env.contexts[context] }).clientConfig(), qps: -1 };
}

const open: RESTClient[] = [];

/** A core/v1 client; closed by closeAll(). */
export function coreClient(config: RestConfig, options: RESTClientOptions = {}): RESTClient {
  const c = new RESTClient({ apiPath: "/api", groupVersion: "v1", ...config }, options);
  open.push(c);
  return c;
}

export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((c) => c.close()));
}

/** A fresh namespace name for one test file. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

export async function createNamespace(admin: RESTClient, name: string): Promise<void> {
  await admin.post().resource("namespaces").body({ apiVersion: "v1", kind: "Namespace", metadata: { name } }).do();
}
