import { createHash } from "node:crypto";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { buildBundle } from "../../local/simulate/release/bundle-dir.js";
import { openSimWorld, type SimWorld } from "../../local/simulate/world.js";
import { bundleEntries } from "../../local/simulate/release/bundle-dir.js";

/**
 * The release handlers, invoked twice with the same input (a Step Functions retry after a lost
 * response), leave the world as once: one release, the same plan, the same code in $LATEST and no
 * version published by the upload itself, the same deployment input.
 */
const BUNDLE = fileURLToPath(new URL("../../events/bundles/orders-api", import.meta.url));
let world: SimWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("release handlers are safe to run twice", () => {
  it("dispatchRelease, planRelease, uploadCodePackage and buildDeployment", async () => {
    const account = {
      functions: [{ name: "orders", versions: 4, aliases: { live: "3" }, codeUpdateSeconds: 5 }],
      hooks: [{ name: "CodeDeployHook_orders_preTraffic" }, { name: "CodeDeployHook_orders_postTraffic" }],
      alarms: [{ name: "orders-errors", state: "OK" }],
    };
    world = await openSimWorld(account, { s3Buckets: ["orders-releases"] });
    const w = world;
    await w.within(async () => {
      const body = await buildBundle(BUNDLE, "zip");
      const put = await w.s3?.client.send(new PutObjectCommand({ Bucket: "orders-releases", Key: "orders-api/r.zip", Body: body }));
      const etag = String(put?.ETag).replace(/"/g, "");
      const event = { source: "aws.s3", "detail-type": "Object Created", detail: { bucket: { name: "orders-releases" }, object: { key: "orders-api/r.zip", etag, sequencer: "0A" } } };
      const invoke = (fn: string, payload: unknown) => w.runtime.invokeFunction(fn, payload);

      const d1 = (await invoke("DispatchReleaseLambdaFunction", event)) as { started: { executionArn: string }[] };
      const d2 = (await invoke("DispatchReleaseLambdaFunction", event)) as { duplicates: unknown[] };
      expect(d1.started).toHaveLength(1);
      expect(d2.duplicates).toHaveLength(1);
      expect(w.account.executions).toHaveLength(1);
      // The plan only reads: twice the same while the alias still serves 3 ...
      const input = JSON.parse(w.account.executions[0]?.input ?? "{}");
      const p1 = await invoke("PlanReleaseLambdaFunction", input);
      expect(await invoke("PlanReleaseLambdaFunction", input)).toEqual(p1);
      // ... then that release runs to its end (v5 published and deployed), and the handlers below are
      // repeated on their own, with the same input, against the world it left.
      expect((await w.wired.finished(d1.started[0]?.executionArn ?? "")).status).toBe("SUCCEEDED");
      const published = () => w.account.calls.filter((c) => c.operation === "PublishVersion" && c.ok).length;
      const publishedBefore = published();
      // A plan repeated now finds the alias moved on: refused, as the deployment would be, with nothing written.
      await expect(invoke("PlanReleaseLambdaFunction", input)).rejects.toMatchObject({ name: "Deploy.VersionMismatch" });

      const pkg = (await bundleEntries(BUNDLE)).find((e) => e.name === "function.zip")?.content as Buffer;
      const sha = createHash("sha256").update(pkg).digest("base64");
      const u1 = (await invoke("UploadCodePackageLambdaFunction", { ...input, plan: p1 })) as { codeSha256: string };
      expect(u1.codeSha256).toBe(sha);
      // The first update is still in progress: the repeat is refused as transient (the ASL retries it) ...
      await expect(invoke("UploadCodePackageLambdaFunction", { ...input, plan: p1 })).rejects.toMatchObject({ name: "Deploy.Transient" });
      // ... and once it is done, the repeat uploads the same bytes: same CodeSha256, nothing published.
      w.clock.advance(10);
      expect(await invoke("UploadCodePackageLambdaFunction", { ...input, plan: p1 })).toMatchObject({ codeSha256: sha });
      expect(published()).toBe(publishedBefore);

      // The alias already serves v5 (the release above): a repeated build says so, twice the same.
      const b1 = await invoke("BuildDeploymentLambdaFunction", { ...input, plan: p1, published: { Version: "5" } });
      expect(await invoke("BuildDeploymentLambdaFunction", { ...input, plan: p1, published: { Version: "5" } })).toEqual(b1);
      expect(b1).toMatchObject({ skip: false, reason: null, deployment: { currentVersion: "3", targetVersion: "5" } });
      expect(w.account.getAlias("orders", "live").functionVersion).toBe("5");
    });
  });
});
