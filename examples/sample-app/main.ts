/**
 * The sample app of client-go's in-cluster example, in TypeScript: running in a pod, it uses the pod's
 * service account to list the pods, deployments and services of its own namespace and prints their names.
 *
 *   node --conditions=@kubets/source --import tsx examples/sample-app/main.ts
 *   node --conditions=@kubets/source --import tsx examples/sample-app/main.ts --service-account-root /tmp/sa
 *
 * The service account needs `list` on pods, deployments and services in its namespace:
 *   kubectl create role listresource --resource pods,deployments,services --verb list
 *   kubectl create rolebinding listresource --role listresource --serviceaccount <ns>:default
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { isAPIStatus, isForbidden, isUnauthorized } from "@kubets/apimachinery/errors";
import { inClusterConfig, inClusterNamespace, SERVICE_ACCOUNT_ROOT, type InClusterOptions } from "@kubets/client/config";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";

/** The names of the pods, deployments and services in one namespace. */
export interface Listing {
  pods: string[];
  deployments: string[];
  services: string[];
}

/** Lists what the app prints. A denied or unauthenticated call rejects with the API server's StatusError. */
export async function listResources(cs: Clientset, namespace: string): Promise<Listing> {
  const names = (items: readonly { metadata?: { name?: string } }[]): string[] => items.map((o) => o.metadata?.name ?? "");
  const [pods, deployments, services] = await Promise.all([
    cs.coreV1().pods(namespace).list(),
    cs.appsV1().deployments(namespace).list(),
    cs.coreV1().services(namespace).list(),
  ]);
  return { pods: names(pods.items), deployments: names(deployments.items), services: names(services.items) };
}

/** The app's output, in the seed app's layout. */
export function format(l: Listing): string {
  return [
    "========Pods========",
    ...l.pods,
    "========Deployments========",
    ...l.deployments,
    "========Services========",
    ...l.services,
    "",
  ].join("\n");
}

/** One line that says what went wrong and what to check. */
export function explain(err: unknown, namespace: string): string {
  if (isUnauthorized(err)) {
    return `the API server rejected the service account token (401 Unauthorized): it is expired, revoked, or its service account was deleted; check the token mounted in the pod`;
  }
  if (isForbidden(err)) {
    const message = isAPIStatus(err) ? err.status.message : String(err);
    return `the service account may not list in namespace "${namespace}" (403 Forbidden): ${message}; bind it to a Role allowing list on pods, deployments and services`;
  }
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** Runs the app: in-cluster config, list, print. Returns the process exit code. */
export async function main(argv: string[], out: (s: string) => void, errOut: (s: string) => void): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { "service-account-root": { type: "string", default: SERVICE_ACCOUNT_ROOT } } });
  const where: InClusterOptions = { root: values["service-account-root"] };
  let namespace = "";
  let cs: Clientset | undefined;
  try {
    cs = newForConfig(inClusterConfig(where));
    namespace = inClusterNamespace(where);
    out(format(await listResources(cs, namespace)));
    return 0;
  } catch (err) {
    errOut(`sample-app: ${explain(err, namespace)}\n`);
    return 1;
  } finally {
    await cs?.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(
    process.argv.slice(2),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  );
}
