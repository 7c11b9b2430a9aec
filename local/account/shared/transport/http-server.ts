import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Router } from "./router.js";

/**
 * The simulated account over HTTP on 127.0.0.1, for `stepdeploy run --endpoint`, the CLI against a
 * served account, and anything that wants a real socket. A dropped request (an injected `timeout`)
 * holds the connection, then destroys the socket without an answer: the SDK sees a network error.
 */
export interface ServedAccount {
  /** `http://127.0.0.1:<port>`: give it to SDK clients as `endpoint` or AWS_ENDPOINT_URL. */
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

export function serveHttp(route: Router, opts: { port?: number } = {}): Promise<ServedAccount> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const routed = route({ method: req.method ?? "GET", url: req.url ?? "/", path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) });
      if (routed.kind === "drop") {
        const t = setTimeout(() => {
          timers.delete(t);
          req.socket.destroy();
        }, routed.holdMs);
        timers.add(t);
        return;
      }
      const r = routed.response;
      const body = typeof r.body === "string" ? Buffer.from(r.body) : r.body;
      res.writeHead(r.status, { ...r.headers, "content-length": String(body.byteLength) });
      res.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const t of timers) clearTimeout(t);
            timers.clear();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
