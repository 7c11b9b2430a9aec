import { createReadStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { loadAppSpec } from "../../../functions/domain/appspec/index.js";
import { type BundleInspection, type BundleLimits, inspectBundle } from "../../../functions/domain/bundles/index.js";
import { type Attempt, refusedWith, type Surface } from "../case.js";
import { leftIn } from "./sandbox.js";

/** A revision as uploaded: its bytes in a file, read as an S3 body would be (a stream) or from disk. */
export interface BundleInput {
  bundleType: string;
  file: string;
  via: "stream" | "path";
  /** Only where a class is shown at a smaller scale than the defaults (a 2 GiB bomb would take seconds in CI). */
  limits?: Partial<BundleLimits>;
}

async function inspect(input: BundleInput, sandbox: string): Promise<BundleInspection> {
  const tempDir = join(sandbox, "tmp");
  await mkdir(tempDir, { recursive: true });
  const source = input.via === "stream" ? createReadStream(input.file) : { path: input.file };
  return inspectBundle(source, input.bundleType, { limits: input.limits, tempDir, extract: (path) => !path.endsWith(".bin") });
}

/**
 * inspectBundle with its files extracted (buffered, as the release buffers its code package; `*.bin` payloads only
 * stream through, so that memory figures are the inspection's, not a copy of the bombs), then written to `out/`
 * as a deployment would unpack them, but only once the inspection succeeded. On refusal the sandbox must hold
 * nothing: no spooled zip, no partial output.
 */
export const bundleSurface: Surface<BundleInput> = {
  name: "inspectBundle + unpack",
  async attempt(input, sandbox) {
    let inspection: BundleInspection;
    try {
      inspection = await inspect(input, sandbox);
    } catch (e) {
      return { error: refusedWith(e), changed: await leftIn(sandbox, ["tmp"]) };
    }
    for (const [path, content] of Object.entries(inspection.extracted)) {
      await mkdir(dirname(join(sandbox, "out", path)), { recursive: true });
      await writeFile(join(sandbox, "out", path), content);
    }
    return { changed: await leftIn(sandbox, ["tmp"]) };
  },
};

/** What a release does with an uploaded revision before it changes anything in AWS: inspect it, then load its appspec. */
export const revisionSurface: Surface<BundleInput> = {
  name: "inspectBundle + loadAppSpec",
  async attempt(input, sandbox): Promise<Attempt> {
    try {
      const inspection = await inspect(input, sandbox);
      loadAppSpec(inspection.appSpec.text);
      return { changed: await leftIn(sandbox, ["tmp"]) };
    } catch (e) {
      return { error: refusedWith(e), changed: await leftIn(sandbox, ["tmp"]) };
    }
  },
};
