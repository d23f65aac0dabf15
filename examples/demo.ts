// The demo: start a real local control plane (built from the pinned Kubernetes modules on the
// first run, from the cache afterwards) and list its namespaces.
import { startControlPlane } from "@kubets/testenv";
import { Agent, request } from "undici";

const env = await startControlPlane({ log: (l) => console.error(`[testenv] ${l}`) });
try {
  console.log(`control plane ready at ${env.server} in ${(env.startupMs / 1000).toFixed(1)} s`);
  const agent = new Agent({ connect: { ca: env.caPem, cert: env.adminCertPem, key: env.adminKeyPem } });
  const res = await request(`${env.server}/api/v1/namespaces`, { dispatcher: agent, headers: { accept: "application/json" } });
  const list = (await res.body.json()) as { items: { metadata: { name: string; creationTimestamp: string } }[] };
  console.log("NAMESPACE            CREATED");
  for (const ns of list.items) console.log(`${ns.metadata.name.padEnd(20)} ${ns.metadata.creationTimestamp}`);
  await agent.close();
} finally {
  await env.stop();
}
