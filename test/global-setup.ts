import { buildIfStale } from "../scripts/build-cli.mjs";

/**
 * Once per test run, before any file: the CLI build in dist/ matches the sources, so the tests that
 * run the real binary (bin/stepdeploy.mjs) test this code and never rebuild it concurrently.
 */
export default async function setup(): Promise<void> {
  await buildIfStale();
}
