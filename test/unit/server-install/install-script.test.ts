// @long-running: started early from a fresh clone (vitest.config.ts, LongestFirst).
import { existsSync } from "node:fs";
import { readdir, readFile, stat, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseInstallOutput } from "../../../functions/domain/server-install/index.js";
import { createInstance, deploy, type Instance, uploadBundle } from "./instance.js";

/** A hook that records what ran, with CodeDeploy's environment, as whom. */
const hook = (tag: string) => `#!/bin/bash\necho "${tag} $LIFECYCLE_EVENT $DEPLOYMENT_ID $APPLICATION_NAME $DEPLOYMENT_GROUP_NAME $BUNDLE_KEY \${BUNDLE_VERSION:-none} $(id -un)" >>"$TRACE"\n`;

function appspec(dest: string, opts: { tag: string; fileExists?: string; extraHooks?: string; stopTimeout?: number } ) {
  return `version: 0.0
os: linux
files:
  - source: app
    destination: ${dest}
  - source: README.md
    destination: ${dest}/doc
${opts.fileExists ? `file_exists_behavior: ${opts.fileExists}\n` : ""}permissions:
  - object: ${dest}
    pattern: "*.json"
    mode: 600
    type: [file]
hooks:
  ApplicationStop:
    - location: scripts/stop.sh
      timeout: ${opts.stopTimeout ?? 60}
  BeforeInstall:
    - location: scripts/before.sh
  AfterInstall:
    - location: scripts/after.sh
      timeout: 30
      runas: nobody
  ApplicationStart:
    - location: scripts/start.sh
  ValidateService:
    - location: scripts/validate.sh
${opts.extraHooks ?? ""}`;
}

function bundle(tag: string, dest: string, extra: Record<string, string> = {}, opts: Parameters<typeof appspec>[1] = { tag }) {
  return {
    "appspec.yml": appspec(dest, opts),
    "README.md": `readme ${tag}\n`,
    "app/index.html": `<h1>${tag}</h1>\n`,
    "app/config.json": `{"tag":"${tag}"}\n`,
    "scripts/stop.sh": hook(`${tag}:stop`),
    "scripts/before.sh": hook(`${tag}:before`),
    "scripts/after.sh": hook(`${tag}:after`),
    "scripts/start.sh": hook(`${tag}:start`),
    "scripts/validate.sh": hook(`${tag}:validate`),
    ...extra,
  };
}

let instance: Instance;
let dest: string;
beforeEach(async () => {
  instance = await createInstance();
  dest = join(instance.fs, "var", "www", "orders");
});
afterEach(() => instance.cleanup());

async function release(deploymentId: string, tag: string, opts: { extra?: Record<string, string>; appspec?: Parameters<typeof appspec>[1]; withLoadBalancer?: boolean; version?: string; keepRevisions?: number; phase?: "restore" | "terminate" } = {}) {
  const files = bundle(tag, dest, opts.extra, opts.appspec ?? { tag });
  const key = `orders/${tag}.zip`;
  const { etag } = await uploadBundle(instance, key, files, opts.version ?? "v1");
  return deploy(instance, { deploymentId, key, etag, appspec: files["appspec.yml"], withLoadBalancer: opts.withLoadBalancer, version: opts.version, keepRevisions: opts.keepRevisions, ...(opts.phase ? { phase: opts.phase } : {}) });
}

const statuses = (stdout: string) => parseInstallOutput(stdout).map((r) => `${r.event}:${r.status}${r.errorCode ? `:${r.errorCode}` : ""}`);

describe("the generated bash installs a real bundle on a stand-in instance", { timeout: 120_000 }, () => {
  it("first deployment: no ApplicationStop; files, permissions and hooks in CodeDeploy's order with its environment", async () => {
    const [run] = await release("d-FIRST0001", "v1", { version: "3HL4kqtJlcpXroDTDmJ" });
    expect(run!.exitCode).toBe(0);
    expect(statuses(run!.stdout)).toEqual(["ApplicationStop:Skipped", "DownloadBundle:Succeeded", "BeforeInstall:Succeeded", "Install:Succeeded", "AfterInstall:Succeeded", "ApplicationStart:Succeeded", "ValidateService:Succeeded"]);
    expect(await instance.trace()).toEqual([
      "v1:before BeforeInstall d-FIRST0001 orders orders-fleet orders/v1.zip 3HL4kqtJlcpXroDTDmJ root",
      "v1:after AfterInstall d-FIRST0001 orders orders-fleet orders/v1.zip 3HL4kqtJlcpXroDTDmJ nobody",
      "v1:start ApplicationStart d-FIRST0001 orders orders-fleet orders/v1.zip 3HL4kqtJlcpXroDTDmJ root",
      "v1:validate ValidateService d-FIRST0001 orders orders-fleet orders/v1.zip 3HL4kqtJlcpXroDTDmJ root",
    ]);
    expect(await readFile(join(dest, "index.html"), "utf8")).toBe("<h1>v1</h1>\n");
    expect(await readFile(join(dest, "doc", "README.md"), "utf8")).toBe("readme v1\n");
    expect((await stat(join(dest, "config.json"))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dest, "index.html"))).mode & 0o777).toBe(0o644);
    const last = await readFile(join(instance.root, "deployment-instructions", "0b8e2f9a-1111-2222-3333-444455556666_last_successful_install"), "utf8");
    expect(last.trim()).toMatch(/\/d-FIRST0001$/);
  });

  it("second deployment: ApplicationStop of the first revision, the first revision's files replaced", async () => {
    await release("d-FIRST0001", "v1");
    const [run] = await release("d-SECOND002", "v2", { extra: { "app/new.txt": "new\n" } });
    expect(run!.exitCode).toBe(0);
    expect(parseInstallOutput(run!.stdout)[0]).toEqual({ event: "ApplicationStop", status: "Succeeded" });
    const trace = await instance.trace();
    expect(trace.slice(4).map((l) => l.split(" ").slice(0, 3).join(" "))).toEqual(["v1:stop ApplicationStop d-SECOND002", "v2:before BeforeInstall d-SECOND002", "v2:after AfterInstall d-SECOND002", "v2:start ApplicationStart d-SECOND002", "v2:validate ValidateService d-SECOND002"]);
    expect(await readFile(join(dest, "index.html"), "utf8")).toBe("<h1>v2</h1>\n");
    expect(await readFile(join(dest, "new.txt"), "utf8")).toBe("new\n");
  });

  it("with a load balancer: three commands, block-traffic hooks from the previous revision, allow-traffic hooks from this one", async () => {
    const lbHooks = (tag: string) => ({ "scripts/bbt.sh": hook(`${tag}:bbt`), "scripts/abt.sh": hook(`${tag}:abt`), "scripts/bat.sh": hook(`${tag}:bat`), "scripts/aat.sh": hook(`${tag}:aat`) });
    const extraHooks = "  BeforeBlockTraffic:\n    - location: scripts/bbt.sh\n  AfterBlockTraffic:\n    - location: scripts/abt.sh\n  BeforeAllowTraffic:\n    - location: scripts/bat.sh\n  AfterAllowTraffic:\n    - location: scripts/aat.sh\n";
    const first = await release("d-LB0000001", "v1", { withLoadBalancer: true, extra: lbHooks("v1"), appspec: { tag: "v1", extraHooks } });
    expect(first.map((r) => r.exitCode)).toEqual([0, 0, 0]);
    expect(statuses(first[0]!.stdout)).toEqual(["BeforeBlockTraffic:Skipped"]);
    expect(statuses(first[2]!.stdout)).toEqual(["AfterAllowTraffic:Succeeded"]);
    const second = await release("d-LB0000002", "v2", { withLoadBalancer: true, extra: lbHooks("v2"), appspec: { tag: "v2", extraHooks } });
    expect(second.map((r) => r.exitCode)).toEqual([0, 0, 0]);
    const events = (await instance.trace()).filter((l) => l.includes("d-LB0000002")).map((l) => l.split(" ")[0]);
    expect(events).toEqual(["v1:bbt", "v1:abt", "v1:stop", "v2:before", "v2:after", "v2:start", "v2:validate", "v2:bat", "v2:aat"]);
  });

  it("a termination deployment runs the instance's revision's BeforeBlockTraffic | AfterBlockTraffic, ApplicationStop; nothing downloaded or installed", async () => {
    const lbHooks = (tag: string) => ({ "scripts/bbt.sh": hook(`${tag}:bbt`), "scripts/abt.sh": hook(`${tag}:abt`) });
    const extraHooks = "  BeforeBlockTraffic:\n    - location: scripts/bbt.sh\n  AfterBlockTraffic:\n    - location: scripts/abt.sh\n";
    await release("d-TERMV0001", "v1", { withLoadBalancer: true, extra: lbHooks("v1"), appspec: { tag: "v1", extraHooks } });
    const stop = await release("d-TERMN0001", "v2", { withLoadBalancer: true, extra: lbHooks("v2"), appspec: { tag: "v2", extraHooks }, phase: "terminate" });
    expect(stop.map((r) => statuses(r.stdout))).toEqual([["BeforeBlockTraffic:Succeeded"], ["AfterBlockTraffic:Succeeded", "ApplicationStop:Succeeded"]]);
    const events = (await instance.trace()).filter((l) => l.includes("d-TERMN0001")).map((l) => l.split(" ").slice(0, 2).join(" "));
    expect(events).toEqual(["v1:bbt BeforeBlockTraffic", "v1:abt AfterBlockTraffic", "v1:stop ApplicationStop"]);
    expect(await readFile(join(dest, "config.json"), "utf8")).toBe('{"tag":"v1"}\n');
    // without a load balancer: ApplicationStop alone; on an instance we never deployed to, skipped
    const bare = await createInstance();
    try {
      const none = await deploy(bare, { deploymentId: "d-TERMN0002", key: "orders/v1.zip", etag: '"0"', appspec: bundle("v1", dest)["appspec.yml"], phase: "terminate" });
      expect(none.map((r) => [r.exitCode, statuses(r.stdout)])).toEqual([[0, ["ApplicationStop:Skipped"]]]);
    } finally {
      await bare.cleanup();
    }
  });

  it("a blue/green rollback's restore on an original: the allow-traffic hooks of the revision on it, not of the one rolled back", async () => {
    const lbHooks = (tag: string) => ({ "scripts/bat.sh": hook(`${tag}:bat`), "scripts/aat.sh": hook(`${tag}:aat`) });
    const extraHooks = "  BeforeAllowTraffic:\n    - location: scripts/bat.sh\n  AfterAllowTraffic:\n    - location: scripts/aat.sh\n";
    await release("d-RESTORE01", "v1", { withLoadBalancer: true, extra: lbHooks("v1"), appspec: { tag: "v1", extraHooks } });
    const restore = await release("d-RESTORE02", "v2", { withLoadBalancer: true, extra: lbHooks("v2"), appspec: { tag: "v2", extraHooks }, phase: "restore" });
    expect(restore.map((r) => r.exitCode)).toEqual([0, 0]);
    expect(statuses(restore[0]!.stdout)).toEqual(["BeforeAllowTraffic:Succeeded"]);
    expect(restore[0]!.stdout).toContain("revision=d-RESTORE01");
    const events = (await instance.trace()).filter((l) => l.includes("d-RESTORE02")).map((l) => l.split(" ").slice(0, 2).join(" "));
    expect(events).toEqual(["v1:bat BeforeAllowTraffic", "v1:aat AfterAllowTraffic"]);
    // Nothing installed or recorded: the instance keeps its revision.
    expect(await readFile(join(dest, "config.json"), "utf8")).toBe('{"tag":"v1"}\n');
  });

  it("a restore on an instance whose revision has no allow-traffic hooks runs nothing and succeeds", async () => {
    await release("d-RESTORE03", "v1");
    const restore = await release("d-RESTORE04", "v2", { withLoadBalancer: true, phase: "restore" });
    expect(restore.map((r) => statuses(r.stdout))).toEqual([["BeforeAllowTraffic:Succeeded"], ["AfterAllowTraffic:Succeeded"]]);
  });

  it("a failing hook fails its event with the agent's message and records no successful install", async () => {
    const [run] = await release("d-FAILS0001", "v1", { extra: { "scripts/start.sh": "#!/bin/bash\necho starting\nexit 3\n" } });
    expect(run!.exitCode).toBe(1);
    expect(parseInstallOutput(run!.stdout).at(-1)).toEqual({ event: "ApplicationStart", status: "Failed", errorCode: "ScriptFailed", message: "Script at specified location: scripts/start.sh failed with exit code 3" });
    expect(run!.stdout).toContain("starting");
    expect(existsSync(join(instance.root, "deployment-instructions", "0b8e2f9a-1111-2222-3333-444455556666_last_successful_install"))).toBe(false);
  });

  it("a hook past its timeout fails with ScriptTimedOut", async () => {
    await release("d-FIRST0001", "v1", { appspec: { tag: "v1", stopTimeout: 1 }, extra: { "scripts/stop.sh": "#!/bin/bash\nsleep 20\n" } });
    const [run] = await release("d-SECOND002", "v2");
    expect(parseInstallOutput(run!.stdout)).toEqual([{ event: "ApplicationStop", status: "Failed", errorCode: "ScriptTimedOut", message: "Script at specified location: scripts/stop.sh failed to complete in 1 seconds" }]);
  });

  it("a missing script fails with ScriptMissing", async () => {
    const files = bundle("v1", dest);
    delete (files as Record<string, string>)["scripts/validate.sh"];
    const { etag } = await uploadBundle(instance, "orders/missing.zip", files);
    const [run] = await deploy(instance, { deploymentId: "d-MISSING01", key: "orders/missing.zip", etag, appspec: files["appspec.yml"] });
    expect(parseInstallOutput(run!.stdout).at(-1)).toMatchObject({ event: "ValidateService", status: "Failed", errorCode: "ScriptMissing" });
  });

  it("DownloadBundle refuses an object that is not the pinned one", async () => {
    const files = bundle("v1", dest);
    await uploadBundle(instance, "orders/v1.zip", files);
    const [run] = await deploy(instance, { deploymentId: "d-PINNED001", key: "orders/v1.zip", etag: '"0123456789abcdef0123456789abcdef"', appspec: files["appspec.yml"] });
    expect(parseInstallOutput(run!.stdout)).toEqual([{ event: "ApplicationStop", status: "Skipped" }, { event: "DownloadBundle", status: "Failed", errorCode: "UnknownError", message: expect.stringContaining("cannot fetch s3://bundles/orders/v1.zip") }]);
    expect(await instance.trace()).toEqual([]);
  });

  describe("file_exists_behavior with a file the last deployment did not install", () => {
    beforeEach(async () => {
      await mkdir(dest, { recursive: true });
      await writeFile(join(dest, "index.html"), "hand-made\n");
    });

    it("DISALLOW (default): fails before copying anything", async () => {
      const [run] = await release("d-DISALLOW1", "v1");
      expect(parseInstallOutput(run!.stdout).at(-1)).toEqual({ event: "Install", status: "Failed", errorCode: "UnknownError", message: `The deployment failed because a specified file already exists at this location: ${join(dest, "index.html")}` });
      expect(await readdir(dest)).toEqual(["index.html"]);
      expect(await readFile(join(dest, "index.html"), "utf8")).toBe("hand-made\n");
    });

    it("OVERWRITE replaces it", async () => {
      const [run] = await release("d-OVERWRIT1", "v1", { appspec: { tag: "v1", fileExists: "OVERWRITE" } });
      expect(run!.exitCode).toBe(0);
      expect(await readFile(join(dest, "index.html"), "utf8")).toBe("<h1>v1</h1>\n");
    });

    it("RETAIN keeps it and installs the rest", async () => {
      const [run] = await release("d-RETAIN001", "v1", { appspec: { tag: "v1", fileExists: "RETAIN" } });
      expect(run!.exitCode).toBe(0);
      expect(await readFile(join(dest, "index.html"), "utf8")).toBe("hand-made\n");
      expect(await readFile(join(dest, "config.json"), "utf8")).toBe('{"tag":"v1"}\n');
    });
  });

  it("keeps the newest revisions of the group, like the agent's max_revisions", async () => {
    for (let k = 1; k <= 4; k++) expect((await release(`d-KEEP00000${k}`, `v${k}`, { keepRevisions: 2 }))[0]!.exitCode).toBe(0);
    const kept = (await readdir(join(instance.root, "0b8e2f9a-1111-2222-3333-444455556666"))).sort();
    expect(kept).toEqual(["d-KEEP000003", "d-KEEP000004"]);
  });
});
