import { createHash } from "node:crypto";
import type { ServiceEvent } from "../eventbridge/world.js";
import type { AccountContext } from "../shared/service.js";

const IMAGE_URI = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)(?::([^@]+))?(?:@(sha256:[0-9a-f]{64}))?$/;

/**
 * Container images of the simulated account's ECR, as far as releases need them: repositories,
 * pushed images (digest and tags), and the "ECR Image Action" events a push sends to the default
 * bus (codepipeline-spec §4.3: `resources` is empty; PUSH with result SUCCESS or FAILURE).
 * Lambda's UpdateFunctionCode asks `resolve` whether an image URI of this account exists.
 */
export class EcrWorld {
  /** repository -> digest -> tags */
  private readonly repos = new Map<string, Map<string, Set<string>>>();
  private pushes = 0;

  constructor(
    private readonly region: string,
    private readonly accountId: string,
    private readonly emit: AccountContext["emit"],
  ) {}

  createRepository(name: string): void {
    if (!this.repos.has(name)) this.repos.set(name, new Map());
  }

  repositoryUri(name: string): string {
    return `${this.accountId}.dkr.ecr.${this.region}.amazonaws.com/${name}`;
  }

  /**
   * A `docker push`: SUCCESS stores the image (moving the tag to it) and emits the event; FAILURE
   * only emits. Without a digest, one is derived from the repository, tag and push count.
   */
  push(p: { repository: string; tag?: string; digest?: string; result?: "SUCCESS" | "FAILURE" }): { digest: string; event: ServiceEvent } {
    this.pushes += 1;
    const digest = p.digest ?? `sha256:${createHash("sha256").update(`${p.repository}:${p.tag ?? ""}:${this.pushes}`).digest("hex")}`;
    if ((p.result ?? "SUCCESS") === "SUCCESS") {
      this.createRepository(p.repository);
      const images = this.repos.get(p.repository) as Map<string, Set<string>>;
      if (p.tag) for (const tags of images.values()) tags.delete(p.tag);
      const tags = images.get(digest) ?? new Set<string>();
      if (p.tag) tags.add(p.tag);
      images.set(digest, tags);
    }
    const event = this.emit({
      source: "aws.ecr",
      detailType: "ECR Image Action",
      detail: { result: p.result ?? "SUCCESS", "repository-name": p.repository, "image-digest": digest, "action-type": "PUSH", ...(p.tag ? { "image-tag": p.tag } : {}) },
      resources: [],
    });
    return { digest, event };
  }

  /**
   * For an image URI of this account and region: the image's digest, or undefined when it does not
   * exist. `foreign` for URIs of other registries (not checked).
   */
  resolve(uri: string): { digest?: string; foreign: boolean } {
    const m = IMAGE_URI.exec(uri);
    if (!m || m[1] !== this.accountId || m[2] !== this.region) return { foreign: true };
    const images = this.repos.get(m[3] as string);
    if (!images) return { foreign: false };
    const [tag, digest] = [m[4], m[5]];
    if (digest) return { digest: images.has(digest) ? digest : undefined, foreign: false };
    for (const [d, tags] of images) if (tag && tags.has(tag)) return { digest: d, foreign: false };
    return { foreign: false };
  }
}
