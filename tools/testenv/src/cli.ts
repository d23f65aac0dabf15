#!/usr/bin/env node
// kubets-testenv: build (once) and start a local Kubernetes control plane.
import { TestEnvError } from "./errors.js";
import { startControlPlane } from "./control-plane.js";
import { defaultCacheDir, ensureBinaries } from "./provision.js";
import { readPin } from "./versions.js";

const USAGE = `usage: kubets-testenv <command>

  start [--no-controller-manager] [--nodes N]
                                    build if needed, start etcd + kube-apiserver (+ kube-controller-manager;
                                    with --nodes, kube-scheduler and kwok with N simulated nodes),
                                    print the kubeconfig, stop on Ctrl-C
  provision [--no-nodes]            build and cache the binaries only (with --no-nodes: without
                                    kube-scheduler and kwok)
  info                              print the pinned versions and the cache folder

environment: KUBETS_TESTENV_BIN=<dir> uses prebuilt binaries; KUBETS_TESTENV_CACHE=<dir> moves the cache.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "provision": {
      const bins = await ensureBinaries({ nodes: !rest.includes("--no-nodes") });
      process.stdout.write(`${bins.built ? "built" : "cached"}: ${bins.dir}\n`);
      return 0;
    }
    case "info": {
      process.stdout.write(JSON.stringify({ ...readPin(), cache: defaultCacheDir() }, null, 2) + "\n");
      return 0;
    }
    case "start": {
      const i = rest.indexOf("--nodes");
      const nodesArg = i >= 0 ? rest[i + 1] : (rest.find((a) => a.startsWith("--nodes="))?.slice("--nodes=".length) ?? "0");
      const nodes = Number(nodesArg);
      if (!Number.isInteger(nodes) || nodes < 0) throw new TestEnvError(`--nodes needs a whole number, not ${String(nodesArg)}`);
      const env = await startControlPlane({ controllerManager: !rest.includes("--no-controller-manager"), nodes });
      process.stdout.write(
        [
          `kube-apiserver ready at ${env.server} (started in ${(env.startupMs / 1000).toFixed(1)} s)`,
          `kubeconfig: ${env.kubeconfigPath}`,
          ...(env.nodes.length > 0 ? [`nodes (kwok): ${env.nodes.join(", ")}; exec runs local commands in ${env.execDir ?? ""}`] : []),
          `contexts: ${env.contexts.admin} (client certificate, system:masters), ${env.contexts.token} (bearer token), ${env.contexts.restricted} (no RBAC rights)`,
          "",
          `export KUBECONFIG=${env.kubeconfigPath}`,
          "",
          "Ctrl-C stops the control plane and removes its files.",
          "",
        ].join("\n"),
      );
      await new Promise<void>((resolve) => {
        const done = (): void => resolve();
        process.once("SIGINT", done);
        process.once("SIGTERM", done);
      });
      await env.stop();
      process.stdout.write("stopped\n");
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return command === undefined || command === "help" || command === "--help" ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof TestEnvError) process.stderr.write(`kubets-testenv: ${err.message}\n`);
    else process.stderr.write(`kubets-testenv: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
