import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { GetAliasCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { cachedClient, clientOptions, useTransport } from "../../../functions/adapters/clients.js";
import { InProcessNetwork } from "../../../local/account/shared/transport/in-process.js";

/** The transport seam of the SDK clients (functions/adapters/clients.ts): absent on AWS, installed by the simulator. */
const restores: (() => void)[] = [];
const install = (handler: InProcessNetwork) => restores.push(useTransport(handler));
const saved = process.env.AWS_ENDPOINT_URL;
afterEach(() => {
  for (const r of restores.splice(0).reverse()) r();
  if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
  else process.env.AWS_ENDPOINT_URL = saved;
});

const lambda = (name: string) => cachedClient(name, (options) => new LambdaClient(options));

describe("the SDK clients' transport", () => {
  it("is the SDK's default unless a process installs one", () => {
    expect(clientOptions()).toEqual({});
    expect(lambda("seam-default").config.requestHandler).not.toBeInstanceOf(InProcessNetwork);
  });

  it("is handed to every client built while it is installed; the previous one comes back when it is removed", () => {
    const network = new InProcessNetwork();
    install(network);
    expect(clientOptions()).toEqual({ requestHandler: network });
    expect(lambda("seam-installed").config.requestHandler).toBe(network);
    restores.pop()?.();
    expect(clientOptions()).toEqual({});
    expect(lambda("seam-installed").config.requestHandler).not.toBe(network);
  });

  it("keeps one client per service, endpoint and transport: installing the same transport again reuses its clients", () => {
    const network = new InProcessNetwork();
    process.env.AWS_ENDPOINT_URL = "http://account.stepdeploy.internal";
    install(network);
    const first = lambda("seam-reuse");
    expect(lambda("seam-reuse")).toBe(first);
    restores.pop()?.();
    install(network);
    expect(lambda("seam-reuse")).toBe(first);
    install(new InProcessNetwork());
    expect(lambda("seam-reuse")).not.toBe(first);
    process.env.AWS_ENDPOINT_URL = "http://other.stepdeploy.internal";
    expect(lambda("seam-reuse")).not.toBe(lambda("seam-other-name"));
  });

  it("refuses a client built without the options it was given, instead of letting it bypass the transport", () => {
    install(new InProcessNetwork());
    expect(() => cachedClient("seam-ignores", () => new LambdaClient({}))).toThrow(/ignores the installed transport/);
  });

  it("leaves requests to the hosts it serves in-process unsigned (their servers do not check SigV4), and signs every other", async () => {
    const network = new InProcessNetwork();
    install(network);
    const seen: string[] = [];
    const alias = JSON.stringify({ AliasArn: "arn:aws:lambda:us-east-1:123456789012:function:orders:live", Name: "live", FunctionVersion: "1" });
    const inside = network.attach("seam-unsigned", (req) => {
      seen.push(`${req.headers.authorization} | ${req.headers["x-amz-date"]}`);
      return { kind: "response", response: { status: 200, headers: { "content-type": "application/json" }, body: alias } };
    });
    const server = createServer((req, res) => {
      seen.push(String(req.headers.authorization));
      res.setHeader("content-type", "application/json");
      res.end(alias);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    restores.push(() => void server.close(), () => network.destroy());
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, region: process.env.AWS_REGION };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDSEAM", AWS_SECRET_ACCESS_KEY: "secret", AWS_REGION: "us-east-1" });
    restores.push(() => {
      for (const [k, v] of [["AWS_ACCESS_KEY_ID", saved.id], ["AWS_SECRET_ACCESS_KEY", saved.secret], ["AWS_REGION", saved.region]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });
    for (const endpoint of [inside, `http://127.0.0.1:${(server.address() as AddressInfo).port}`]) {
      process.env.AWS_ENDPOINT_URL = endpoint;
      await lambda("seam-signing").send(new GetAliasCommand({ FunctionName: "orders", Name: "live" }));
    }
    const [unsigned, signed] = seen;
    expect(unsigned).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDSEAM\/(\d{8})\/us-east-1\/lambda\/aws4_request, SignedHeaders=host;x-amz-date, Signature=UNSIGNED-IN-PROCESS \| \1T\d{6}Z$/);
    expect(signed).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDSEAM\/\d{8}\/us-east-1\/lambda\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/);
  });
});
