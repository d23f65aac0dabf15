import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OIDCAuthProvider, authProviderFor, idTokenValid } from "@kubets/client/auth";
import { RESTClient } from "@kubets/client/rest";
import { makePKI, type TestPKI } from "./helpers/pki.js";
import { startServer, type TestServer } from "./helpers/server.js";

let pki: TestPKI;
let srv: TestServer;

const jwt = (claims: Record<string, unknown>) =>
  [Buffer.from('{"alg":"none"}').toString("base64url"), Buffer.from(JSON.stringify(claims)).toString("base64url"), "sig"].join(".");

const NOW = Date.parse("2030-01-01T00:00:00Z");
const expired = jwt({ sub: "jane", exp: NOW / 1000 - 60 });
const fresh = jwt({ sub: "jane", exp: NOW / 1000 + 3600 });

let tokenCalls: Array<{ auth: string | undefined; form: URLSearchParams }> = [];
let tokenResponse: { code: number; body: unknown } = { code: 200, body: {} };
let requireParams = false;

beforeAll(async () => {
  pki = makePKI();
  srv = await startServer(pki);
  srv.handler = (req, res) => {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.url === "/issuer/.well-known/openid-configuration") return send(200, { issuer: `${srv.url}/issuer`, token_endpoint: `${srv.url}/issuer/token` });
    if (req.url === "/issuer/token") {
      const form = new URLSearchParams(req.body);
      tokenCalls.push({ auth: req.headers["authorization"], form });
      if (requireParams && !form.get("client_id")) return send(401, { error: "invalid_client" });
      return send(tokenResponse.code, tokenResponse.body);
    }
    send(200, { authorization: req.headers["authorization"] ?? null });
  };
});
afterAll(() => srv.close());

function provider(cfg: Record<string, string>, persisted: Array<Record<string, string>> = []) {
  return new OIDCAuthProvider(
    {
      "idp-issuer-url": `${srv.url}/issuer`,
      "client-id": "kubectl",
      "client-secret": "s3cret",
      "idp-certificate-authority-data": Buffer.from(pki.caPem).toString("base64"),
      ...cfg,
    },
    { now: () => NOW, persister: (c) => void persisted.push(c) },
  );
}

describe("oidc auth provider", () => {
  it("uses a valid id-token without talking to the issuer", async () => {
    tokenCalls = [];
    const p = provider({ "id-token": fresh, "refresh-token": "r1" });
    expect(await p.token()).toBe(fresh);
    expect(tokenCalls).toHaveLength(0);
    expect(idTokenValid(jwt({ exp: NOW / 1000 + 5 }), NOW)).toBe(false); // within the 10s expiry delta
    await p.close();
  });

  it("refreshes an expired id-token with the refresh-token, persists and caches the result", async () => {
    tokenCalls = [];
    requireParams = false;
    tokenResponse = { code: 200, body: { access_token: "a", token_type: "Bearer", id_token: fresh, refresh_token: "r2" } };
    const persisted: Array<Record<string, string>> = [];
    const p = provider({ "id-token": expired, "refresh-token": "r1" }, persisted);
    const [a, b] = await Promise.all([p.token(), p.token()]);
    expect(a).toBe(fresh);
    expect(b).toBe(fresh);
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]?.form.get("grant_type")).toBe("refresh_token");
    expect(tokenCalls[0]?.form.get("refresh_token")).toBe("r1");
    expect(tokenCalls[0]?.auth).toBe(`Basic ${Buffer.from("kubectl:s3cret").toString("base64")}`);
    expect(persisted).toHaveLength(1);
    expect(persisted[0]).toMatchObject({ "id-token": fresh, "refresh-token": "r2", "client-id": "kubectl" });
    expect(await p.token()).toBe(fresh);
    expect(tokenCalls).toHaveLength(1);
    await p.close();
  });

  it("falls back to client credentials in the form when the header is refused", async () => {
    tokenCalls = [];
    requireParams = true;
    tokenResponse = { code: 200, body: { id_token: fresh } };
    const p = provider({ "refresh-token": "r1" });
    expect(await p.token()).toBe(fresh);
    expect(tokenCalls).toHaveLength(2);
    expect(tokenCalls[1]?.form.get("client_id")).toBe("kubectl");
    expect(tokenCalls[1]?.form.get("client_secret")).toBe("s3cret");
    requireParams = false;
    await p.close();
  });

  it("fails clearly, without secrets, when refresh is impossible", async () => {
    await expect(provider({ "id-token": expired }).token()).rejects.toThrow(/cannot refresh without refresh-token/);
    tokenResponse = { code: 200, body: { access_token: "only-access" } };
    await expect(provider({ "refresh-token": "r-secret-1" }).token()).rejects.toThrow(/did not contain an id_token/);
    tokenResponse = { code: 400, body: { error: "invalid_grant" } };
    const err = await provider({ "refresh-token": "r-secret-1" }).token().catch((e: unknown) => e as Error);
    expect(err.name).toBe("ConfigError");
    expect(err.message).toMatch(/failed to refresh token.*400/);
    expect(err.message).not.toContain("r-secret-1");
    expect(err.message).not.toContain("s3cret");
    expect(() => authProviderFor({ name: "gcp", config: {} })).toThrow(/gke-gcloud-auth-plugin/);
    expect(() => new OIDCAuthProvider({ "client-id": "x" })).toThrow(/idp-issuer-url is missing/);
  });

  it("authenticates REST requests with the refreshed id-token", async () => {
    tokenResponse = { code: 200, body: { id_token: fresh } };
    const persisted: Array<Record<string, string>> = [];
    const c = new RESTClient({
      host: srv.url,
      tlsClientConfig: { caData: pki.caPem },
      qps: -1,
      authProvider: {
        name: "oidc",
        config: {
          "idp-issuer-url": `${srv.url}/issuer`,
          "client-id": "kubectl",
          "idp-certificate-authority-data": Buffer.from(pki.caPem).toString("base64"),
          "id-token": jwt({ exp: 1 }),
          "refresh-token": "r1",
        },
      },
      authConfigPersister: (cfg) => void persisted.push(cfg),
    });
    const out = await c.get().absPath("/api/v1/namespaces").do<{ authorization: string }>();
    expect(out.authorization).toBe(`Bearer ${fresh}`);
    expect(persisted[0]?.["id-token"]).toBe(fresh);
    await c.close();
  });
});
