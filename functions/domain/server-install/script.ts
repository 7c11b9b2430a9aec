import { bashInstallScript } from "./bash.js";
import { powershellInstallScript } from "./powershell.js";
import type { InstallCommand } from "./types.js";

/** The SSM document and script for one instance command, by the AppSpec's `os`. */
export function installDocument(command: InstallCommand): { documentName: "AWS-RunShellScript" | "AWS-RunPowerShellScript"; script: string } {
  return command.revision.os === "windows"
    ? { documentName: "AWS-RunPowerShellScript", script: powershellInstallScript(command) }
    : { documentName: "AWS-RunShellScript", script: bashInstallScript(command) };
}
