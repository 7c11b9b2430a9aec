// Types for scripts/build-cli.mjs (plain JavaScript, so that bin/stepdeploy.mjs can run it without tsx).
import type { Metafile } from "esbuild";

export const ROOT: string;
export const DIST: string;
export function buildCli(opts?: { clean?: boolean }): Promise<{ files: number; ms: number; metafile: Metafile }>;
export function buildIfStale(): Promise<boolean>;
