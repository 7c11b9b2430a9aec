import {
  CreateAliasCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { type Harness, ORDERS_SETUP, describeEachTransport, failure } from "./helpers.js";

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders";
let h: Harness;
describeEachTransport(
  ORDERS_SETUP,
  (harness) => {
    h = harness;
  },
  () => {

  describe("Lambda reads", () => {
    it("GetFunction returns configuration and code location", async () => {
      const out = await h.lambda.send(new GetFunctionCommand({ FunctionName: "orders" }));
      expect(out.Configuration).toMatchObject({ FunctionName: "orders", FunctionArn: ARN, Version: "$LATEST", State: "Active", LastUpdateStatus: "Successful", Timeout: 3 });
      expect(out.Code?.RepositoryType).toBe("S3");
    });

    it("GetFunctionConfiguration resolves a version, an alias, $LATEST, and every FunctionName form", async () => {
      const v2 = await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "orders", Qualifier: "2" }));
      expect(v2).toMatchObject({ Version: "2", FunctionArn: `${ARN}:2` });
      const live = await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "orders", Qualifier: "live" }));
      expect(live).toMatchObject({ Version: "3", FunctionArn: `${ARN}:live` });
      expect(live.CodeSha256).not.toBe(v2.CodeSha256);
      for (const name of [ARN, "123456789012:function:orders", "orders:live", `${ARN}:live`]) {
        const out = await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
        expect(out.FunctionName).toBe("orders");
      }
      const latest = await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "orders" }));
      expect(latest.Version).toBe("$LATEST");
      expect(latest.CodeSha256).toBe((await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "orders", Qualifier: "4" }))).CodeSha256);
    });

    it("ListVersionsByFunction lists $LATEST then versions, paginated", async () => {
      const all = await h.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: "orders" }));
      expect(all.Versions?.map((v) => v.Version)).toEqual(["$LATEST", "1", "2", "3", "4"]);
      const first = await h.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: "orders", MaxItems: 2 }));
      expect(first.Versions?.map((v) => v.Version)).toEqual(["$LATEST", "1"]);
      const next = await h.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: "orders", MaxItems: 10, Marker: first.NextMarker }));
      expect(next.Versions?.map((v) => v.Version)).toEqual(["2", "3", "4"]);
      expect(next.NextMarker).toBeUndefined();
    });

    it("GetAlias and ListAliases", async () => {
      const alias = await h.lambda.send(new GetAliasCommand({ FunctionName: "orders", Name: "live" }));
      expect(alias).toMatchObject({ AliasArn: `${ARN}:live`, Name: "live", FunctionVersion: "3" });
      expect(alias.RoutingConfig).toBeUndefined();
      await h.lambda.send(new CreateAliasCommand({ FunctionName: "orders", Name: "beta", FunctionVersion: "4" }));
      const list = await h.lambda.send(new ListAliasesCommand({ FunctionName: "orders" }));
      expect(list.Aliases?.map((a) => a.Name)).toEqual(["beta", "live"]);
      const only4 = await h.lambda.send(new ListAliasesCommand({ FunctionName: "orders", FunctionVersion: "4" }));
      expect(only4.Aliases?.map((a) => a.Name)).toEqual(["beta"]);
    });

    it("names a missing function, version or alias with ResourceNotFoundException (404)", async () => {
      const fn = await failure(h.lambda.send(new GetFunctionCommand({ FunctionName: "nope" })));
      expect(fn.name).toBe("ResourceNotFoundException");
      expect(fn.$metadata.httpStatusCode).toBe(404);
      expect(fn.message).toBe("Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope");
      const version = await failure(h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "orders", Qualifier: "9" })));
      expect(version.name).toBe("ResourceNotFoundException");
      expect(version.message).toBe(`Function not found: ${ARN}:9`);
      const alias = await failure(h.lambda.send(new GetAliasCommand({ FunctionName: "orders", Name: "prod" })));
      expect(alias.name).toBe("ResourceNotFoundException");
      expect(alias.message).toBe(`Cannot find alias arn: ${ARN}:prod`);
      const other = await failure(h.lambda.send(new GetFunctionCommand({ FunctionName: "arn:aws:lambda:eu-west-1:123456789012:function:orders" })));
      expect(other.name).toBe("ResourceNotFoundException");
    });

    it("rejects a malformed function name with ValidationException", async () => {
      const e = await failure(h.lambda.send(new GetFunctionCommand({ FunctionName: "bad name!" })));
      expect(e.name).toBe("ValidationException");
      expect(e.$metadata.httpStatusCode).toBe(400);
    });
  });

  describe("UpdateAlias / CreateAlias", () => {
    const update = (FunctionVersion: string | undefined, weights?: Record<string, number>) =>
      h.lambda.send(new UpdateAliasCommand({ FunctionName: "orders", Name: "live", FunctionVersion, RoutingConfig: weights ? { AdditionalVersionWeights: weights } : undefined }));

    it("shifts traffic with one additional version and records the history in simulated time", async () => {
      const out = await update("3", { "4": 0.1 });
      expect(out.RoutingConfig?.AdditionalVersionWeights).toEqual({ "4": 0.1 });
      h.clock.advance(60);
      await update("4", {});
      expect(h.account.getAlias("orders", "live")).toMatchObject({ functionVersion: "4", additionalVersionWeights: {} });
      expect(h.account.aliasHistory.map((c) => [c.atSeconds, c.functionVersion, c.additionalVersionWeights])).toEqual([
        [0, "3", { "4": 0.1 }],
        [60, "4", {}],
      ]);
      expect(h.account.aliasAt("orders", "live", 0)?.functionVersion).toBe("3");
      expect(h.account.aliasAt("orders", "live", 30)?.additionalVersionWeights).toEqual({ "4": 0.1 });
      expect(h.account.aliasAt("orders", "live", 60)?.functionVersion).toBe("4");
    });

    it("keeps the routing when RoutingConfig is omitted and removes it with an empty map", async () => {
      await update("3", { "4": 0.25 });
      const kept = await h.lambda.send(new UpdateAliasCommand({ FunctionName: "orders", Name: "live", Description: "d" }));
      expect(kept.RoutingConfig?.AdditionalVersionWeights).toEqual({ "4": 0.25 });
      const cleared = await update(undefined, {});
      expect(cleared.RoutingConfig).toBeUndefined();
      expect(cleared.FunctionVersion).toBe("3");
    });

    it.each([
      ["two additional versions", { "1": 0.1, "4": 0.1 }],
      ["weight 1.0", { "4": 1 }],
      ["weight 0", { "4": 0 }],
      ["weight 1.5", { "4": 1.5 }],
      ["negative weight", { "4": -0.1 }],
      ["the primary version as additional version", { "3": 0.5 }],
    ])("rejects %s with InvalidParameterValueException", async (_label, weights) => {
      const e = await failure(update("3", weights));
      expect(e.name).toBe("InvalidParameterValueException");
      expect(e.$metadata.httpStatusCode).toBe(400);
      expect(h.account.getAlias("orders", "live")).toMatchObject({ functionVersion: "3", additionalVersionWeights: {} });
      expect(h.account.aliasHistory).toHaveLength(0);
    });

    it("rejects $LATEST in weighted routing", async () => {
      expect((await failure(update("$LATEST", { "4": 0.1 }))).name).toBe("InvalidParameterValueException");
      expect((await failure(update("3", { $LATEST: 0.1 }))).name).toBe("InvalidParameterValueException");
      // A plain alias may point at $LATEST.
      expect((await update("$LATEST", {})).FunctionVersion).toBe("$LATEST");
    });

    it("names missing versions, functions and aliases with ResourceNotFoundException", async () => {
      for (const p of [update("9"), update("3", { "9": 0.1 })]) {
        const e = await failure(p);
        expect(e.name).toBe("ResourceNotFoundException");
        expect(e.$metadata.httpStatusCode).toBe(404);
      }
      const fn = await failure(h.lambda.send(new UpdateAliasCommand({ FunctionName: "ghost", Name: "live", FunctionVersion: "1" })));
      expect(fn.name).toBe("ResourceNotFoundException");
      const alias = await failure(h.lambda.send(new UpdateAliasCommand({ FunctionName: "orders", Name: "prod", FunctionVersion: "1" })));
      expect(alias.name).toBe("ResourceNotFoundException");
    });

    it("honours RevisionId with PreconditionFailedException", async () => {
      const { RevisionId } = await h.lambda.send(new GetAliasCommand({ FunctionName: "orders", Name: "live" }));
      await h.lambda.send(new UpdateAliasCommand({ FunctionName: "orders", Name: "live", FunctionVersion: "4", RevisionId }));
      const e = await failure(h.lambda.send(new UpdateAliasCommand({ FunctionName: "orders", Name: "live", FunctionVersion: "3", RevisionId })));
      expect(e.name).toBe("PreconditionFailedException");
      expect(e.$metadata.httpStatusCode).toBe(412);
    });

    it("CreateAlias validates like UpdateAlias and refuses duplicates", async () => {
      const created = await h.lambda.send(new CreateAliasCommand({ FunctionName: "orders", Name: "canary", FunctionVersion: "3", RoutingConfig: { AdditionalVersionWeights: { "4": 0.05 } } }));
      expect(created.$metadata.httpStatusCode).toBe(201);
      expect(created.RoutingConfig?.AdditionalVersionWeights).toEqual({ "4": 0.05 });
      expect((await failure(h.lambda.send(new CreateAliasCommand({ FunctionName: "orders", Name: "canary", FunctionVersion: "3" })))).name).toBe("ResourceConflictException");
      expect((await failure(h.lambda.send(new CreateAliasCommand({ FunctionName: "orders", Name: "x", FunctionVersion: "3", RoutingConfig: { AdditionalVersionWeights: { "4": 1 } } })))).name).toBe(
        "InvalidParameterValueException",
      );
      expect((await failure(h.lambda.send(new CreateAliasCommand({ FunctionName: "orders", Name: "123", FunctionVersion: "3" })))).name).toBe("ValidationException");
      await h.lambda.send(new DeleteAliasCommand({ FunctionName: "orders", Name: "canary" }));
      expect((await failure(h.lambda.send(new GetAliasCommand({ FunctionName: "orders", Name: "canary" })))).name).toBe("ResourceNotFoundException");
    });
  });

  describe("PublishVersion / UpdateFunctionCode", () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from("new code")]);

    it("updates code InProgress then Successful, and refuses to publish mid-update", async () => {
      const out = await h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "orders", ZipFile: zip }));
      expect(out.LastUpdateStatus).toBe("InProgress");
      expect(out.CodeSha256).toBe(Buffer.from(await crypto.subtle.digest("SHA-256", zip)).toString("base64"));
      const busy = await failure(h.lambda.send(new PublishVersionCommand({ FunctionName: "orders" })));
      expect(busy.name).toBe("ResourceConflictException");
      expect(busy.$metadata.httpStatusCode).toBe(409);
      h.clock.advance(1);
      expect((await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "orders" }))).LastUpdateStatus).toBe("Successful");
      const v5 = await h.lambda.send(new PublishVersionCommand({ FunctionName: "orders", Description: "five" }));
      expect(v5).toMatchObject({ Version: "5", Description: "five", CodeSha256: out.CodeSha256, FunctionArn: `${ARN}:5` });
      expect(v5.$metadata.httpStatusCode).toBe(201);
      // Nothing changed since: Lambda returns the last version instead of publishing a new one.
      expect((await h.lambda.send(new PublishVersionCommand({ FunctionName: "orders" }))).Version).toBe("5");
    });

    it("a poller that saw InProgress sees Successful on its next read, even without simulated time passing", async () => {
      await h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "orders", S3Bucket: "b", S3Key: "k.zip" }));
      const reads = [];
      for (let i = 0; i < 2; i++) reads.push((await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "orders" }))).LastUpdateStatus);
      expect(reads).toEqual(["InProgress", "Successful"]);
    });

    it("validates the code source, the zip and CodeSha256", async () => {
      expect((await failure(h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "orders" })))).name).toBe("InvalidParameterValueException");
      expect((await failure(h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "orders", ZipFile: Buffer.from("not a zip") })))).name).toBe("InvalidParameterValueException");
      expect((await failure(h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "orders", ImageUri: "123.dkr.ecr/x:1" })))).name).toBe("InvalidParameterValueException");
      await h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "orders", ZipFile: zip }));
      h.clock.advance(1);
      expect((await failure(h.lambda.send(new PublishVersionCommand({ FunctionName: "orders", CodeSha256: "wrong" })))).name).toBe("InvalidParameterValueException");
      const published = await h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "orders", ZipFile: Buffer.concat([zip, Buffer.from("2")]), Publish: true }));
      expect(published.Version).toBe("5");
    });
  });
  },
);
