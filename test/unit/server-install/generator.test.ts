import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadAppSpec } from "../../../functions/domain/appspec/index.js";
import { type InstallCommand, installDocument, installSegments, parseInstallOutput, serverRevision } from "../../../functions/domain/server-install/index.js";

const WINDOWS = `version: 0.0
os: windows
files:
  - source: \\
    destination: c:\\inetpub\\orders
file_exists_behavior: OVERWRITE
hooks:
  ApplicationStop:
    - location: scripts\\stop.ps1
      timeout: 60
  AfterInstall:
    - location: scripts\\configure.bat
  ValidateService:
    - location: scripts\\check.ps1
      timeout: 30
`;

function command(appspec: string, events: string[], extra: Partial<InstallCommand> = {}): InstallCommand {
  return {
    deploymentId: "d-WIN000001",
    applicationName: "orders",
    deploymentGroupName: "orders-win",
    deploymentGroupId: "group-id",
    bundle: { bucket: "bundles", key: "orders/v1.zip", etag: '"abc"', bundleType: "zip" },
    revision: serverRevision(loadAppSpec(appspec, { platform: "server" })),
    events,
    final: true,
    deploymentRoot: "C:\\ProgramData\\stepdeploy\\deployment-root",
    keepRevisions: 5,
    ...extra,
  };
}

describe("instance commands", () => {
  it("CodeDeploy's order without a load balancer: one command; with one: three around BlockTraffic and AllowTraffic", () => {
    expect(installSegments(false)).toEqual([["ApplicationStop", "DownloadBundle", "BeforeInstall", "Install", "AfterInstall", "ApplicationStart", "ValidateService"]]);
    expect(installSegments(true)).toEqual([
      ["BeforeBlockTraffic"],
      ["AfterBlockTraffic", "ApplicationStop", "DownloadBundle", "BeforeInstall", "Install", "AfterInstall", "ApplicationStart", "ValidateService", "BeforeAllowTraffic"],
      ["AfterAllowTraffic"],
    ]);
  });

  it("Windows: a PowerShell script with the same events in order, the agent's messages, and no bash", () => {
    const { documentName, script } = installDocument(command(WINDOWS, installSegments(false)[0]!));
    expect(documentName).toBe("AWS-RunPowerShellScript");
    const steps = script.split("\r\n").filter((l) => l.startsWith("# ---- ")).map((l) => l.slice(7));
    expect(steps).toEqual(["ApplicationStop", "DownloadBundle", "BeforeInstall", "Install", "AfterInstall", "ApplicationStart", "ValidateService"]);
    expect(script).toContain("Invoke-Previous 'ApplicationStop'");
    expect(script).toContain("Invoke-Hook 'AfterInstall' $Archive 'scripts\\configure.bat' 3600");
    expect(script).toContain("Invoke-Hook 'ValidateService' $Archive 'scripts\\check.ps1' 30");
    expect(script).toContain("Copy-Files '\\' 'c:\\inetpub\\orders' 'OVERWRITE'");
    expect(script).not.toMatch(/^Assert-NoConflict /m);
    expect(script).toContain("Save-PreviousHooks @(@{event='ApplicationStop'; location='scripts\\stop.ps1'; timeout=60})");
    expect(script).toContain("$env:DEPLOYMENT_GROUP_NAME = 'orders-win'");
    expect(script).toContain("failed with exit code");
    expect(script).toContain("failed to complete in $Timeout seconds");
    expect(script.trimEnd().split("\r\n").at(-2)).toBe("Complete-Install");
    // Every function the steps call is defined once.
    const called = new Set([...script.matchAll(/^(?:\s*)([A-Z][a-z]+-[A-Za-z]+) /gm)].map((m) => m[1]!).filter((f) => !["Write-Output", "New-Item", "Set-Content", "Add-Content", "Get-Content", "Remove-Item", "Copy-Item", "Get-ChildItem", "Expand-Archive", "Test-Path", "Split-Path", "Join-Path", "ConvertTo-Json", "Sort-Object", "Where-Object", "Select-Object", "Start-Process", "ForEach-Object", "Get-FileHash", "Tee-Object", "Out-File", "Get-Date"].includes(f)));
    for (const f of called) expect(script.match(new RegExp(`^function ${f}\\b`, "gm")), f).toHaveLength(1);
  });

  it("Linux: bash that parses, whatever the names and paths contain", () => {
    const linux = "version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /srv/app\nhooks:\n  AfterInstall:\n    - location: scripts/x.sh\n      runas: deploy\n";
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (deploymentId, groupName, key) => {
        const { documentName, script } = installDocument(command(linux, installSegments(false)[0]!, { deploymentId, deploymentGroupName: groupName, bundle: { bucket: "b", key, etag: '"e"', bundleType: "tgz" } }));
        expect(documentName).toBe("AWS-RunShellScript");
        execFileSync("bash", ["-n"], { input: script.replace(/\0/g, "") });
      }),
      { numRuns: 15 },
    );
  });

  it("reads per-event results back from the command's output", () => {
    const out = "hello\n[stepdeploy] event=ApplicationStop status=Skipped reason=no-previous-revision\n[stepdeploy] event=AfterInstall status=Failed code=ScriptTimedOut message=Script at specified location: a.sh failed to complete in 5 seconds\n";
    expect(parseInstallOutput(out)).toEqual([
      { event: "ApplicationStop", status: "Skipped" },
      { event: "AfterInstall", status: "Failed", errorCode: "ScriptTimedOut", message: "Script at specified location: a.sh failed to complete in 5 seconds" },
    ]);
  });
});
