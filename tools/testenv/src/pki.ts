// A minimal X.509 certificate authority: just enough DER to issue the CA, serving and client
// certificates a local control plane needs, signed with ECDSA P-256 through node:crypto.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

// ---- DER encoding -------------------------------------------------------------------------------

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const seq = (...c: Buffer[]): Buffer => tlv(0x30, ...c);
const set = (...c: Buffer[]): Buffer => tlv(0x31, ...c);
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, "utf8"));
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bitString = (b: Buffer): Buffer => tlv(0x03, Buffer.from([0]), b);
const explicit = (n: number, c: Buffer): Buffer => tlv(0xa0 + n, c);
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));

function integer(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  let v = b.subarray(i);
  if ((v[0] ?? 0) & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return tlv(0x02, v);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map(Number);
  const out: number[] = [40 * (parts[0] ?? 0) + (parts[1] ?? 0)];
  for (const p of parts.slice(2)) {
    const stack: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) stack.unshift(0x80 | (v & 0x7f));
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const s = d.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z"; // YYYYMMDDHHMMSSZ
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(s.slice(2))) : tlv(0x18, Buffer.from(s));
}

const OID = {
  ecdsaWithSHA256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  subjectKeyId: "2.5.29.14",
  authorityKeyId: "2.5.29.35",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
};

interface Name {
  commonName: string;
  organizations?: readonly string[];
}

function name(n: Name): Buffer {
  const rdns = (n.organizations ?? []).map((o) => set(seq(oid(OID.organization), utf8(o))));
  rdns.push(set(seq(oid(OID.commonName), utf8(n.commonName))));
  return seq(...rdns);
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

// ---- certificates -------------------------------------------------------------------------------

export interface KeyPair {
  /** PEM, PKCS#8 */
  keyPem: string;
  /** PEM certificate */
  certPem: string;
  key: KeyObject;
  keyId: Buffer;
}

export interface IssueOptions {
  subject: Name;
  /** Issue a CA certificate. */
  isCA?: boolean;
  server?: boolean;
  client?: boolean;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  validDays?: number;
}

function ipBytes(ip: string): Buffer {
  if (ip.includes(":")) {
    const [head = "", tail = ""] = ip.split("::");
    const h = head ? head.split(":") : [];
    const t = tail ? tail.split(":") : [];
    const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
    return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
  }
  return Buffer.from(ip.split(".").map(Number));
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** Issues a certificate for a new P-256 key, signed by `issuer` (self-signed when absent). */
export function issueCertificate(opts: IssueOptions, issuer?: KeyPair & { subject: Name }): KeyPair & { subject: Name } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const spki = publicKey.export({ type: "spki", format: "der" });
  // Subject key id: SHA-1-sized random identifier is acceptable (RFC 5280 4.2.1.2 allows other methods).
  const keyId = randomBytes(20);
  const now = Date.now();
  const notBefore = new Date(now - 60 * 60 * 1000);
  const notAfter = new Date(now + (opts.validDays ?? 3650) * 24 * 60 * 60 * 1000);

  let keyUsageBits = 0x80; // digitalSignature
  if (opts.isCA) keyUsageBits |= 0x04; // keyCertSign
  if (opts.server) keyUsageBits |= 0x20; // keyEncipherment (harmless for EC, expected by some verifiers)
  const exts: Buffer[] = [
    extension(OID.basicConstraints, true, seq(...(opts.isCA ? [bool(true)] : []))),
    extension(OID.keyUsage, true, bitString(Buffer.from([keyUsageBits]))),
    extension(OID.subjectKeyId, false, octets(keyId)),
  ];
  const eku = [...(opts.server ? [oid(OID.serverAuth)] : []), ...(opts.client ? [oid(OID.clientAuth)] : [])];
  if (eku.length > 0) exts.push(extension(OID.extKeyUsage, false, seq(...eku)));
  const sans = [
    ...(opts.dnsNames ?? []).map((d) => tlv(0x82, Buffer.from(d))),
    ...(opts.ipAddresses ?? []).map((ip) => tlv(0x87, ipBytes(ip))),
  ];
  if (sans.length > 0) exts.push(extension(OID.subjectAltName, false, seq(...sans)));
  if (issuer) exts.push(extension(OID.authorityKeyId, false, seq(tlv(0x80, issuer.keyId))));

  const sigAlg = seq(oid(OID.ecdsaWithSHA256));
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    sigAlg,
    name(issuer?.subject ?? opts.subject),
    seq(time(notBefore), time(notAfter)),
    name(opts.subject),
    spki,
    explicit(3, seq(...exts)),
  );
  const signature = sign("sha256", tbs, issuer?.key ?? privateKey);
  const cert = seq(tbs, sigAlg, bitString(signature));
  return {
    certPem: pem("CERTIFICATE", cert),
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    key: privateKey,
    keyId,
    subject: opts.subject,
  };
}

/** An ECDSA key pair for service-account token signing, as PEM. */
export function serviceAccountKeys(): { privatePem: string; publicPem: string } {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const privatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const publicPem = createPublicKey(createPrivateKey(privatePem)).export({ type: "spki", format: "pem" }).toString();
  return { privatePem, publicPem };
}
