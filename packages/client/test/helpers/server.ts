import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import type { TestPKI } from "./pki.js";

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  clientCN: string | undefined;
}

export interface TestServer {
  url: string;
  seen: Seen[];
  connections: number;
  handler: (req: Seen, res: ServerResponse, socket: TLSSocket) => void;
  close(): Promise<void>;
}

/** A local HTTPS server for transport mechanics (retries, headers, connection reuse). */
export async function startServer(pki: TestPKI): Promise<TestServer> {
  const state: TestServer = {
    url: "",
    seen: [],
    connections: 0,
    handler: (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    },
    close: async () => undefined,
  };
  const server: Server = createServer(
    { cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const socket = req.socket as TLSSocket;
        const peer = socket.getPeerCertificate();
        const seen: Seen = {
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          clientCN: socket.authorized && peer && peer.subject ? (peer.subject.CN as string) : undefined,
        };
        state.seen.push(seen);
        state.handler(seen, res, socket);
      });
    },
  );
  server.on("secureConnection", () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
