import { Readable } from "node:stream";
import { expect } from "vitest";
import { BundleError, type BundleInspection, inspectBundle } from "../../../functions/domain/bundles/index.js";
import { tarOf, type TestEntry, zipOf } from "./build.js";

export type ArchiveKind = "zip" | "tar" | "tgz";

/** Builds an archive of `entries` and inspects it from a stream. */
export async function inspectEntries(kind: ArchiveKind, entries: TestEntry[]): Promise<BundleInspection> {
  const bytes = kind === "zip" ? await zipOf(entries) : await tarOf(entries, kind === "tgz");
  return inspectBundle(Readable.from([bytes]), kind);
}

/** The BundleError `work` fails with (fails the test if it succeeds or throws anything else). */
export async function refusal(work: Promise<unknown>): Promise<BundleError> {
  try {
    await work;
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    return e as BundleError;
  }
  throw new Error("expected a BundleError");
}
