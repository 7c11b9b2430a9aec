import { LambdaClient } from "@aws-sdk/client-lambda";
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
});
