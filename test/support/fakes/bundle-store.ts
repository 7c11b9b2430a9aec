import type { BundleEntry, BundleInspection, InspectOptions } from "../../../functions/domain/bundles/index.js";
import { BundleError, BundleErrorNames } from "../../../functions/domain/bundles/index.js";
import type { BundleStorePort, PinnedRevision } from "../../../functions/ports/bundle-store.js";

/** Bundles in memory: `bucket/key` -> files and ETag. A read pinned to another ETag throws Bundle.RevisionMismatch. */
export class FakeBundleStore implements BundleStorePort {
  readonly objects = new Map<string, { eTag: string; files: Record<string, string | Buffer> }>();
  readonly reads: string[] = [];

  put(bucket: string, key: string, files: Record<string, string | Buffer>, eTag = "e1"): this {
    this.objects.set(`${bucket}/${key}`, { eTag, files });
    return this;
  }

  async inspect(revision: PinnedRevision, options: InspectOptions = {}): Promise<BundleInspection> {
    const where = `${revision.bucket}/${revision.key}`;
    this.reads.push(where);
    const object = this.objects.get(where);
    if (!object) throw new BundleError(BundleErrorNames.RevisionMismatch, `${where}: no such object`);
    if (revision.eTag && revision.eTag !== object.eTag) throw new BundleError(BundleErrorNames.RevisionMismatch, `${where}: expected ETag ${revision.eTag}, found ${object.eTag}`);
    const files = Object.entries(object.files).map(([path, content]) => ({ path, content: Buffer.from(content) }));
    const entries: BundleEntry[] = files.map((f) => ({ path: f.path, type: "file", size: f.content.length }));
    const wanted = options.extract ?? [];
    const extract = typeof wanted === "function" ? wanted : (p: string) => wanted.includes(p);
    const appspec = files.find((f) => f.path === "appspec.yml");
    return {
      bundleType: "zip",
      archiveBytes: files.reduce((n, f) => n + f.content.length, 0),
      expandedBytes: files.reduce((n, f) => n + f.content.length, 0),
      entries,
      appSpec: { path: "appspec.yml", text: appspec?.content.toString("utf8") ?? "" },
      appSpecCandidates: appspec ? ["appspec.yml"] : [],
      extracted: Object.fromEntries(files.filter((f) => extract(f.path)).map((f) => [f.path, f.content])),
    };
  }
}
