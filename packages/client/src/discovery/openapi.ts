/**
 * The OpenAPI v3 discovery of a server (client-go openapi.Client): `/openapi/v3` lists one document per
 * group version; each can be fetched by its server-relative URL (which carries a content hash).
 */
import { DecodeError } from "@kubets/apimachinery/serializer";
import type { RESTClient } from "../rest/client.js";

/** One OpenAPI v3 document of a group version (openapi.GroupVersion). */
export interface OpenAPIGroupVersion {
  /** The server-relative URL of the document, e.g. `/openapi/v3/apis/apps/v1?hash=...`. */
  readonly serverRelativeURL: string;
  /** Fetches the document as bytes in the content type asked for (default `application/json`). */
  schema(contentType?: string, opts?: { signal?: AbortSignal }): Promise<Uint8Array>;
}

/** Lists the OpenAPI v3 documents (openapi.Client). */
export interface OpenAPIV3Client {
  /** The documents keyed by path, e.g. `api/v1`, `apis/apps/v1`. */
  paths(opts?: { signal?: AbortSignal }): Promise<Map<string, OpenAPIGroupVersion>>;
}

interface OpenAPIV3Discovery {
  paths?: Record<string, { serverRelativeURL?: string }>;
}

/**
 * An {@link OpenAPIV3Client} over the REST client: lists the server's OpenAPI v3 documents from
 * `/openapi/v3`.
 */
export function newOpenAPIV3Client(rest: RESTClient): OpenAPIV3Client {
  const rootPrefix = rest.basePath.replace(/\/$/, "");
  return {
    async paths(opts = {}) {
      // The server labels this JSON document text/plain: parse the bytes ourselves, as client-go does.
      const raw = await rest.get().absPath("/openapi/v3").signal(opts.signal).doRaw();
      let doc: OpenAPIV3Discovery;
      try {
        doc = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("utf8")) as OpenAPIV3Discovery;
      } catch (cause) {
        throw new DecodeError("the OpenAPI v3 discovery document at /openapi/v3 is not valid JSON", { cause });
      }
      const out = new Map<string, OpenAPIGroupVersion>();
      for (const [path, entry] of Object.entries(doc?.paths ?? {})) {
        let rel = entry.serverRelativeURL ?? "";
        if (rootPrefix !== "" && rel.startsWith(rootPrefix)) rel = rel.slice(rootPrefix.length);
        const url = rel;
        out.set(path, {
          serverRelativeURL: url,
          async schema(contentType = "application/json", o = {}) {
            const u = new URL(url, "http://relative.invalid");
            const req = rest.get().absPath(u.pathname).setHeader("accept", contentType).signal(o.signal);
            for (const [k, v] of u.searchParams) req.param(k, v);
            return req.doRaw();
          },
        });
      }
      return out;
    },
  };
}
