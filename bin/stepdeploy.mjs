#!/usr/bin/env node
// Entry point for the `stepdeploy` CLI. The CLI is TypeScript run through tsx, so the same
// sources serve the Lambda handlers, the local simulator and the operator commands.
import { register } from "tsx/esm/api";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
