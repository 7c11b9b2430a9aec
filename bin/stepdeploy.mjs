#!/usr/bin/env node
// Entry point for the `stepdeploy` CLI. The CLI is TypeScript run through tsx, so the same
// sources serve the Lambda handlers, the local simulator and the operator commands.
import { register } from "tsx/esm/api";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// Handlers run in-process for simulate/run/demo; their structured logs would interleave with the
// CLI's own output (and break --json), so only warnings and errors are shown unless asked for.
process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
