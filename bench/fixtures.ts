// The pod the client benchmarks create (client.bench.ts, peers.bench.ts): about 4.4 KB in JSON once the
// server has defaulted it and added managedFields.
import type { Pod } from "@kubets/api/core/v1";

const APPS = ["web", "api", "worker", "cache", "db-proxy", "ingest", "scheduler", "metrics"];
/** The `i`-th bench pod: 8 apps, two containers, probes, env, resources and tolerations. */
export function benchPod(i: number): Pod {
  const app = APPS[i % APPS.length]!;
  return {
    metadata: {
      name: `${app}-${i.toString(36).padStart(5, "0")}`,
      labels: { app, tier: i % 3 ? "backend" : "frontend", "pod-template-hash": (i * 2654435761).toString(16).slice(-8) },
      annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": "9090", "kubets.dev/bench": `round-${i % 7}` },
    },
    spec: {
      containers: [
        {
          name: app,
          image: `registry.example/${app}:1.${i % 20}.0`,
          ports: [{ name: "http", containerPort: 8080 }, { name: "metrics", containerPort: 9090 }],
          env: [
            { name: "MODE", value: "production" },
            { name: "INDEX", value: String(i) },
            { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          ],
          resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "256Mi" } },
          readinessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 5 },
          livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 10 },
        },
        { name: "proxy", image: "registry.example/proxy:2.4.1", args: ["--listen=:15001", "--upstream=127.0.0.1:8080"] },
      ],
      nodeSelector: { "kubernetes.io/os": "linux" },
      tolerations: [{ key: "dedicated", operator: "Equal", value: app, effect: "NoSchedule" }],
    },
  };
}
