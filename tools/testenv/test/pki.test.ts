import { X509Certificate, createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { issueCertificate, serviceAccountKeys } from "../src/pki.js";

describe("pki", () => {
  const ca = issueCertificate({ subject: { commonName: "test-ca" }, isCA: true });
  const server = issueCertificate(
    { subject: { commonName: "kube-apiserver" }, server: true, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"] },
    ca,
  );
  const client = issueCertificate({ subject: { commonName: "alice", organizations: ["system:masters", "dev"] }, client: true }, ca);

  it("issues a self-signed CA certificate", () => {
    const c = new X509Certificate(ca.certPem);
    expect(c.ca).toBe(true);
    expect(c.subject).toBe("CN=test-ca");
    expect(c.verify(c.publicKey)).toBe(true);
  });

  it("issues a serving certificate with DNS and IP SANs, signed by the CA", () => {
    const c = new X509Certificate(server.certPem);
    const caCert = new X509Certificate(ca.certPem);
    expect(c.ca).toBe(false);
    expect(c.checkIssued(caCert)).toBe(true);
    expect(c.verify(caCert.publicKey)).toBe(true);
    expect(c.checkHost("localhost")).toBe("localhost");
    expect(c.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(c.checkIP("::1")).toBe("::1");
    expect(c.checkIP("10.1.2.3")).toBeUndefined();
    expect(c.keyUsage).toContain("1.3.6.1.5.5.7.3.1");
  });

  it("puts organizations in the client certificate subject (Kubernetes groups)", () => {
    const c = new X509Certificate(client.certPem);
    expect(c.subject.split("\n")).toEqual(["O=system:masters", "O=dev", "CN=alice"]);
    expect(c.keyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]);
    expect(c.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
  });

  it("returns a private key that matches the certificate", () => {
    const c = new X509Certificate(client.certPem);
    const sig = sign("sha256", Buffer.from("x"), createPrivateKey(client.keyPem));
    expect(verify("sha256", Buffer.from("x"), c.publicKey, sig)).toBe(true);
  });

  it("makes service-account signing keys whose public half matches", () => {
    const { privatePem, publicPem } = serviceAccountKeys();
    const sig = sign("sha256", Buffer.from("token"), createPrivateKey(privatePem));
    expect(verify("sha256", Buffer.from("token"), createPublicKey(publicPem), sig)).toBe(true);
  });
});
