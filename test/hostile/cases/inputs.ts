import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { crc32, constants, deflateRawSync } from "node:zlib";
import { APPSPEC, tarOf, type TestEntry } from "../../unit/bundles/build.js";
import { type RawZipEntry, rawZip } from "../../unit/bundles/raw-zip.js";
import type { HostileCase } from "../case.js";
import { type BundleInput, bundleSurface } from "../surfaces/bundle.js";

export type ArchiveKind = "zip" | "tar" | "tgz";
export const ALL_KINDS: readonly ArchiveKind[] = ["zip", "tar", "tgz"];
export const TAR_KINDS: readonly ArchiveKind[] = ["tar", "tgz"];
export const APPSPEC_ENTRY: TestEntry = { name: "appspec.yml", content: APPSPEC };

/** Writes the archive to `dir` and describes it as a revision read from a stream (as an S3 body is). */
export async function bundleInput(dir: string, bundleType: string, bytes: Buffer | string, extra: Partial<BundleInput> = {}): Promise<BundleInput> {
  const file = join(dir, `revision.${bundleType.toLowerCase()}`);
  await writeFile(file, bytes);
  return { bundleType, file, via: "stream", ...extra };
}

/**
 * An archive of `entries` in the given format. Zip is written field by field (raw-zip.ts) so that names yazl would
 * refuse (`../x`, `/etc/x`, NUL) can be written at all; symlinks carry their target as data.
 */
export function archiveOf(kind: ArchiveKind, entries: TestEntry[]): Promise<Buffer> {
  if (kind !== "zip") return tarOf(entries, kind === "tgz");
  if (entries.some((e) => e.hardlink !== undefined || e.tarType !== undefined)) throw new Error("zip has no hardlinks or special tar types");
  return Promise.resolve(
    rawZip(
      entries.map((e): RawZipEntry => {
        if (e.dir) return { name: e.name.endsWith("/") ? e.name : `${e.name}/`, mode: 0o040755 };
        if (e.symlink !== undefined) return { name: e.name, data: e.symlink, mode: 0o120777 };
        return { name: e.name, data: e.content ?? "", deflate: true };
      }),
    ),
  );
}

/** The same entries as one case per format; the appspec comes first unless the entries say otherwise. */
export function inFormats(
  cls: string,
  name: string,
  kinds: readonly ArchiveKind[],
  entries: TestEntry[],
  expectError: string,
  expectMessage?: string,
): HostileCase<BundleInput>[] {
  return kinds.map((kind) => ({
    class: cls,
    name: `${kind}: ${name}`,
    surface: bundleSurface,
    generate: async (dir: string) => bundleInput(dir, kind, await archiveOf(kind, entries)),
    expectError,
    expectMessage,
  }));
}

/**
 * `total` bytes of zeros as a raw deflate stream, built from one compressed MiB repeated (each segment ends with a
 * full flush, so segments are independent): gigabytes of output from kilobytes of input, without holding either.
 * The CRC-32 is only computed when asked (a bomb refused by its declared size is never read that far).
 */
export function zerosDeflated(total: number, withCrc = true): { data: Buffer; crc32: number } {
  const MiB = 1024 * 1024;
  const zeros = Buffer.alloc(MiB);
  const segment = deflateRawSync(zeros, { finishFlush: constants.Z_FULL_FLUSH });
  const count = Math.ceil(total / MiB);
  let crc = 0;
  for (let i = 0; withCrc && i < count; i++) crc = crc32(zeros, crc);
  return { data: Buffer.concat([...Array(count).fill(segment), Buffer.from([0x03, 0x00])]), crc32: crc };
}
