/** Test helpers: objects shaped like Kubernetes JSON. */
export interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  spec?: { value?: string };
}

export function obj(ns: string, name: string, rv = "1", extra: Partial<Obj["metadata"]> = {}, value?: string): Obj {
  const o: Obj = { metadata: { name, resourceVersion: rv, ...extra } };
  if (ns !== "") o.metadata.namespace = ns;
  if (value !== undefined) o.spec = { value };
  return o;
}

/** Polls `cond` on the event loop until it holds (fails the test after `ms`). */
export async function until(cond: () => boolean, ms = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
