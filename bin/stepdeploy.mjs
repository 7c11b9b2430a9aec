#!/usr/bin/env node
// Entry point of the `stepdeploy` CLI: the esbuild bundle in dist/ (scripts/build-cli.mjs), plain
// JavaScript, so nothing compiles TypeScript at run time. In a source checkout (the build script is
// next to us; an installed package has no scripts/) dist/ is rebuilt first when a source changed,
// so `npm ci && npm start` and `npx stepdeploy` after an edit run the code as it is now.
import { existsSync } from "node:fs";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const build = new URL("../scripts/build-cli.mjs", import.meta.url);
if (existsSync(build)) await (await import(build.href)).buildIfStale();
const { main } = await import("../dist/cli/main.js");
process.exitCode = await main(process.argv.slice(2));
