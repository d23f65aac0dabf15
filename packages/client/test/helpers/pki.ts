import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestPKI {
  dir: string;
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** A second, unrelated CA (for "wrong CA" tests). */
  otherCaPem: string;
}

function ossl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
}

/** A throwaway CA with a server certificate for 127.0.0.1/localhost and a client certificate. */
export function makePKI(): TestPKI {
  const dir = mkdtempSync(join(tmpdir(), "kubets-pki-"));
  const ca = (name: string) => {
    ossl(dir, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "2", "-subj", `/CN=${name}`]);
  };
  ca("ca");
  ca("other-ca");
  const leaf = (name: string, subj: string, ext: string) => {
    ossl(dir, ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subj]);
    writeFileSync(join(dir, `${name}.ext`), ext);
    ossl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`]);
  };
  leaf("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  leaf("client", "/CN=tester/O=testers", "extendedKeyUsage=clientAuth\n");
  const r = (f: string) => readFileSync(join(dir, f), "utf8");
  return {
    dir,
    caPem: r("ca.crt"),
    serverCertPem: r("server.crt"),
    serverKeyPem: r("server.key"),
    clientCertPem: r("client.crt"),
    clientKeyPem: r("client.key"),
    otherCaPem: r("other-ca.crt"),
  };
}

/** Another client certificate signed by the PKI's CA. */
export function makeClientCert(pki: TestPKI, cn: string): { certPem: string; keyPem: string } {
  const name = `client-${cn}`;
  ossl(pki.dir, ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`]);
  writeFileSync(join(pki.dir, `${name}.ext`), "extendedKeyUsage=clientAuth\n");
  ossl(pki.dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`]);
  return { certPem: readFileSync(join(pki.dir, `${name}.crt`), "utf8"), keyPem: readFileSync(join(pki.dir, `${name}.key`), "utf8") };
}
