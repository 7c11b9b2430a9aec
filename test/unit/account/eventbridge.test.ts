import { CreateEventBusCommand, DescribeEventBusCommand, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { describe, expect, it } from "vitest";
import { type Harness, ORDERS_SETUP, describeEachTransport, failure, } from "./helpers.js";

let h: Harness;
describeEachTransport(
  ORDERS_SETUP,
  (harness) => {
    h = harness;
  },
  () => {

  const entry = (over: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
    Source: "stepdeploy",
    DetailType: "StepDeploy Deployment State-change Notification",
    Detail: JSON.stringify({ deploymentId: "d-1", state: "START" }),
    EventBusName: "stepdeploy-dev",
    ...over,
  });

  describe("PutEvents", () => {
    it("captures accepted entries with the simulated time", async () => {
      h.clock.advance(42);
      const out = await h.events.send(new PutEventsCommand({ Entries: [entry(), entry({ EventBusName: undefined, Detail: '{"state":"SUCCESS"}' })] }));
      expect(out.FailedEntryCount).toBe(0);
      expect(out.Entries?.every((e) => typeof e.EventId === "string")).toBe(true);
      expect(h.account.events.map((e) => [e.atSeconds, e.eventBusName, e.detail.state, e.time])).toEqual([
        [42, "stepdeploy-dev", "START", "2026-01-01T00:00:42.000Z"],
        [42, "default", "SUCCESS", "2026-01-01T00:00:42.000Z"],
      ]);
      expect(h.account.events[0]).toMatchObject({ source: "stepdeploy", detailType: "StepDeploy Deployment State-change Notification", detail: { deploymentId: "d-1" } });
    });

    it("reports per-entry errors: bad Detail JSON, missing fields, nonexistent bus, aws.* sources", async () => {
      const out = await h.events.send(
        new PutEventsCommand({
          Entries: [
            entry({ Detail: "{not json" }),
            entry({ Detail: "[1,2]" }),
            entry({ Source: undefined }),
            entry({ EventBusName: "no-such-bus" }),
            entry({ Source: "aws.codedeploy" }),
            entry({ EventBusName: "arn:aws:events:us-east-1:123456789012:event-bus/stepdeploy-dev" }),
          ],
        }),
      );
      expect(out.FailedEntryCount).toBe(5);
      expect(out.Entries?.map((e) => e.ErrorCode ?? "ok")).toEqual(["MalformedDetail", "MalformedDetail", "InvalidArgument", "ResourceNotFoundException", "NotAuthorizedForSourceException", "ok"]);
      expect(out.Entries?.[3]?.ErrorMessage).toBe("Event bus no-such-bus does not exist.");
      expect(h.account.events).toHaveLength(1);
    });

    it("rejects more than 10 entries and oversized requests with ValidationException", async () => {
      const many = await failure(h.events.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry()) })));
      expect(many.name).toBe("ValidationException");
      expect(many.$metadata.httpStatusCode).toBe(400);
      const big = await failure(h.events.send(new PutEventsCommand({ Entries: [entry({ Detail: JSON.stringify({ blob: "x".repeat(300_000) }) })] })));
      expect(big.name).toBe("ValidationException");
      expect(h.account.events).toHaveLength(0);
    });
  });

  describe("event buses", () => {
    it("creates and describes buses", async () => {
      const created = await h.events.send(new CreateEventBusCommand({ Name: "audit" }));
      expect(created.EventBusArn).toBe("arn:aws:events:us-east-1:123456789012:event-bus/audit");
      expect((await h.events.send(new DescribeEventBusCommand({ Name: "audit" }))).Arn).toBe(created.EventBusArn);
      expect((await h.events.send(new DescribeEventBusCommand({}))).Name).toBe("default");
      expect((await failure(h.events.send(new CreateEventBusCommand({ Name: "audit" })))).name).toBe("ResourceAlreadyExistsException");
      expect((await failure(h.events.send(new DescribeEventBusCommand({ Name: "nope" })))).name).toBe("ResourceNotFoundException");
      h.account.createEventBus("other");
      const out = await h.events.send(new PutEventsCommand({ Entries: [entry({ EventBusName: "other" })] }));
      expect(out.FailedEntryCount).toBe(0);
    });
  });
  },
);
