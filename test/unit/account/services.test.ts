import { afterEach, describe, expect, it } from "vitest";
import { SimAccount, type ServedAccount } from "../../../local/account/index.js";
import { SERVICES } from "../../../local/account/services.js";
import { AwsError } from "../../../local/account/shared/protocol/errors.js";
import { JsonRpcApi, type JsonRpcProtocol } from "../../../local/account/shared/protocol/json-rpc.js";
import type { Handled } from "../../../local/account/shared/protocol/wire.js";
import type { ServiceDefinition } from "../../../local/account/shared/service.js";
import { SimClock } from "../../../local/clock.js";

/**
 * Adding a service is a folder with a ServiceDefinition plus one entry in the list: this toy
 * "Queue" service (a world, a JSON-RPC API, a setup key, a timeline kind) gets routing, setup
 * validation, the timeline, fault injection and the call journal from the account alone.
 */
class QueueWorld {
  readonly queues = new Map<string, string[]>();
  create(name: string): void {
    if (this.queues.has(name)) throw new AwsError("QueueAlreadyExists", `Queue ${name} already exists`, { status: 400 });
    this.queues.set(name, []);
  }
  send(name: string, body: string): number {
    const q = this.queues.get(name);
    if (!q) throw new AwsError("QueueDoesNotExist", `Queue ${name} does not exist`, { status: 400 });
    return q.push(body);
  }
}

const PROTOCOL: JsonRpcProtocol = { version: "1.0", target: "ToyQueue", namespace: "com.example.queue" };

class QueueApi extends JsonRpcApi {
  readonly service = "Queue";
  protected readonly protocol = PROTOCOL;
  protected readonly ops: Record<string, (b: Record<string, unknown>) => Handled> = {
    SendMessage: (b) => this.ok({ Position: this.world.send(String(b.QueueName), String(b.Body)) }, String(b.QueueName)),
  };
  constructor(private readonly world: QueueWorld) {
    super();
  }
  faultError(kind: "throttle" | "5xx"): AwsError {
    return kind === "throttle" ? new AwsError("ThrottlingException", "Rate exceeded", { status: 400 }) : new AwsError("InternalFailure", "boom", { status: 500 });
  }
}

const queue: ServiceDefinition<"queue", QueueWorld> = {
  name: "queue",
  create() {
    const world = new QueueWorld();
    return {
      world,
      api: new QueueApi(world),
      setup: {
        keys: ["queues"],
        parse(setup, c) {
          const names = c.array(setup.queues, "account.queues").filter((q, i) => {
            if (typeof q !== "string") c.fail(`account.queues[${i}]`, "must be a queue name");
            return typeof q === "string";
          }) as string[];
          return () => {
            for (const n of names) world.create(n);
          };
        },
      },
      timeline: {
        purge: {
          keys: [],
          parse: (o, f, c, atSeconds) => {
            const name = c.string(o, "purge", f, { required: true });
            if (name && !world.queues.has(name)) c.fail(`${f}.purge`, `no queue named ${name}`);
            return name ? { atSeconds, purge: name } : undefined;
          },
          apply: (entry) => {
            world.queues.set(String(entry.purge), []);
            return `queue ${entry.purge} purged`;
          },
        },
      },
    };
  },
};

let served: ServedAccount | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

const send = (endpoint: string, body: unknown) =>
  fetch(endpoint, { method: "POST", headers: { "x-amz-target": "ToyQueue.SendMessage", "content-type": "application/x-amz-json-1.0" }, body: JSON.stringify(body) });

describe("a service registered in the account's list", () => {
  const open = () => SimAccount.fromSetup({ queues: ["jobs"], functions: [{ name: "orders", versions: 1 }] }, { clock: new SimClock(), services: [...SERVICES, queue] });

  it("reads its setup key next to the built-in ones, and refuses a bad value with its path without creating anything", () => {
    const world = open().services.get("queue")?.world as QueueWorld;
    expect([...world.queues.keys()]).toEqual(["jobs"]);
    const clock = new SimClock();
    const account = new SimAccount({ clock, services: [...SERVICES, queue] });
    expect(() => account.applySetup({ queues: ["ok", 7], functions: [{ name: "orders" }] })).toThrow(/account\.queues\[1\]: must be a queue name/);
    expect((account.services.get("queue")?.world as QueueWorld | undefined)?.queues.size).toBe(0);
    expect(account.lambda.functionNames()).toEqual([]);
    // Without the service, its key is unknown.
    expect(() => SimAccount.fromSetup({ queues: [] }, { clock })).toThrow(/account\.queues: unknown field/);
  });

  it("is served: its operations answer over the wire, its errors in its protocol, and every call is journaled", async () => {
    const account = open();
    served = await account.serve();
    const ok = await send(served.endpoint, { QueueName: "jobs", Body: "hello" });
    expect([ok.status, await ok.json()]).toEqual([200, { Position: 1 }]);
    const missing = await send(served.endpoint, { QueueName: "nope", Body: "x" });
    expect([missing.status, await missing.json()]).toEqual([400, { __type: "com.example.queue#QueueDoesNotExist", message: "Queue nope does not exist" }]);
    account.addFault({ operation: "Queue.SendMessage", kind: "throttle", count: 1 });
    const throttled = await send(served.endpoint, { QueueName: "jobs", Body: "again" });
    expect((await throttled.json()) as object).toMatchObject({ __type: "com.example.queue#ThrottlingException" });
    expect(account.callCounts()).toEqual({ "Queue.SendMessage": 3 });
    expect(account.calls.map((c) => [c.ok, c.errorName ?? null])).toEqual([
      [true, null],
      [false, "QueueDoesNotExist"],
      [false, "ThrottlingException"],
    ]);
  });

  it("applies its timeline kind at its simulated second and logs it; an unknown name fails when the timeline is added", () => {
    const account = open();
    const world = account.services.get("queue")?.world as QueueWorld;
    world.send("jobs", "a");
    account.applyTimeline([{ atSeconds: 30, purge: "jobs" }]);
    account.clock.advance(29);
    expect(world.queues.get("jobs")).toEqual(["a"]);
    account.clock.advance(1);
    expect(world.queues.get("jobs")).toEqual([]);
    expect(account.worldLog).toEqual([{ atSeconds: 30, kind: "purge", text: "queue jobs purged" }]);
    expect(() => account.applyTimeline([{ atSeconds: 40, purge: "other" }])).toThrow(/timeline\[0\]\.purge: no queue named other/);
  });

  it("cannot be listed twice", () => {
    expect(() => new SimAccount({ clock: new SimClock(), services: [...SERVICES, queue, queue] })).toThrow(/queue is listed twice/);
  });
});

describe("ECR setup", () => {
  it("creates the listed repositories; a name ECR would refuse is reported with its path", () => {
    const account = SimAccount.fromSetup({ ecr: { repositories: ["media/thumbnailer"] } }, { clock: new SimClock() });
    expect(account.ecr.resolve(`${account.ecr.repositoryUri("media/thumbnailer")}:latest`)).toEqual({ foreign: false });
    const { digest } = account.ecr.push({ repository: "media/thumbnailer", tag: "v1" });
    expect(account.ecr.resolve(`${account.ecr.repositoryUri("media/thumbnailer")}:v1`)).toEqual({ digest, foreign: false });
    expect(() => SimAccount.fromSetup({ ecr: { repositories: ["Media/Upper"] } }, { clock: new SimClock() })).toThrow(/account\.ecr\.repositories\[0\]: must be an ECR repository name/);
  });
});
