// Throwaway PKI for the local test servers, issued in process by @kubets/testenv's certificate
// authority (the same code that makes the control plane's certificates).
import { issueCertificate } from "@kubets/testenv";

export interface TestPKI {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** A second, unrelated CA (for "wrong CA" tests). */
  otherCaPem: string;
}

type Issuer = ReturnType<typeof issueCertificate>;
const issuers = new WeakMap<TestPKI, Issuer>();

/** A CA with a server certificate for 127.0.0.1/localhost and a client certificate (CN=tester, O=testers). */
export function makePKI(): TestPKI {
  const ca = issueCertificate({ subject: { commonName: "ca" }, isCA: true, validDays: 2 });
  const other = issueCertificate({ subject: { commonName: "other-ca" }, isCA: true, validDays: 2 });
  const server = issueCertificate({ subject: { commonName: "localhost" }, server: true, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], validDays: 2 }, ca);
  const client = issueCertificate({ subject: { commonName: "tester", organizations: ["testers"] }, client: true, validDays: 2 }, ca);
  const pki: TestPKI = {
    caPem: ca.certPem,
    serverCertPem: server.certPem,
    serverKeyPem: server.keyPem,
    clientCertPem: client.certPem,
    clientKeyPem: client.keyPem,
    otherCaPem: other.certPem,
  };
  issuers.set(pki, ca);
  return pki;
}

/** Another client certificate signed by the PKI's CA. */
export function makeClientCert(pki: TestPKI, cn: string): { certPem: string; keyPem: string } {
  const cert = issueCertificate({ subject: { commonName: cn }, client: true, validDays: 2 }, issuers.get(pki));
  return { certPem: cert.certPem, keyPem: cert.keyPem };
}
