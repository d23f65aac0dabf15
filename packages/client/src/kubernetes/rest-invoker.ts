/** Carries out typed-client actions over one group-version's REST client. */
import type { RESTClient } from "../rest/client.js";
import type { Request } from "../rest/request.js";
import type { LazyCodecRegistry } from "./codecs.js";
import { apiVersionOf, errorEventsChecked } from "./resource-client.js";
import { fromObject } from "@kubets/apimachinery/errors";
import type { Action, Invoker, TypedWatch } from "./types.js";

/** The body of a delete: meta/v1 DeleteOptions (in the `v1` version every group accepts). */
function deleteBody(opts: object | undefined): object {
  return { kind: "DeleteOptions", apiVersion: "v1", ...opts };
}

export class RestInvoker implements Invoker {
  readonly rest: RESTClient;
  readonly #codecs: LazyCodecRegistry | undefined;

  constructor(rest: RESTClient, codecs?: LazyCodecRegistry) {
    this.rest = rest;
    this.#codecs = codecs;
  }

  #request(method: string, a: Action): Request {
    let r = method === "PATCH" ? this.rest.patch(a.patchType ?? "application/merge-patch+json") : this.rest.verb(method);
    if (a.namespaced && a.namespace !== "") r = r.namespace(a.namespace);
    r = r.resource(a.resource.resource);
    if (a.name !== "") r = r.name(a.name);
    if (a.subresource !== "") r = r.subResource(...a.subresource.split("/"));
    return r.signal(a.signal);
  }

  async #ready(a: Action): Promise<void> {
    if (this.#codecs) await this.#codecs.ensure(apiVersionOf(a.resource), a.subresourceAPIVersion);
  }

  async invoke(a: Action): Promise<unknown> {
    await this.#ready(a);
    switch (a.verb) {
      case "get": {
        const r = this.#request("GET", a).params(a.options);
        if (a.raw === "text") return Buffer.from(await r.doRaw()).toString("utf8");
        if (a.raw === "stream") return r.stream();
        return r.do();
      }
      case "list":
        return this.#request("GET", a).params(a.options).do();
      case "create":
        return this.#request("POST", a).params(a.options).body(a.object).do();
      case "update":
        return this.#request("PUT", a).params(a.options).body(a.object).do();
      case "patch":
        return this.#request("PATCH", a).params(a.options).body(a.patch).do();
      case "delete":
        await this.#request("DELETE", a).body(deleteBody(a.deleteOptions)).result();
        return undefined;
      case "delete-collection":
        await this.#request("DELETE", a).params(a.listOptions).body(deleteBody(a.deleteOptions)).result();
        return undefined;
      case "watch":
        return this.watch(a);
    }
  }

  async watch(a: Action): Promise<TypedWatch<unknown>> {
    await this.#ready(a);
    // ERROR events are turned into errors by the watch itself (typedWatch passes it through)
    const w = await this.#request("GET", a).params(a.options).watch({ errorEvents: fromObject });
    return Object.assign(w, { [errorEventsChecked]: true }) as TypedWatch<unknown>;
  }
}
