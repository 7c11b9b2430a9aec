import { ValidationError } from "../errors.js";

/**
 * An ECR push releases an ECS service by registering a new revision of its task definition: the same
 * request as the running revision (DescribeTaskDefinition, without what RegisterTaskDefinition does not
 * take back), with the pushed image pinned by digest (`<repository URI>@sha256:...`), so the revision
 * runs exactly the image that was pushed even if the tag moves again. The container is the group's
 * `containerName` when it has one; otherwise every container whose image comes from the pushed
 * repository (a task definition that runs none is refused: the push is not for this service).
 */
export interface ImagePush {
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<repository>` */
  repositoryUri: string;
  digest: string;
}

type Container = { name?: string; image?: string; [k: string]: unknown };

/** The repository part of an image reference (without tag or digest). */
export function imageRepository(image: string): string {
  const withoutDigest = image.split("@")[0] as string;
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

export function pinnedTaskDefinition(current: { arn: string; body: Record<string, unknown> }, push: ImagePush, containerName?: string): { body: Record<string, unknown>; containers: string[] } {
  if (!/^sha256:[0-9a-f]{64}$/.test(push.digest)) throw new ValidationError("digest", `must be sha256:<64 hex digits>, got ${push.digest}`);
  const containers = (current.body.containerDefinitions as Container[] | undefined) ?? [];
  const chosen = containerName ? containers.filter((c) => c.name === containerName) : containers.filter((c) => c.image && imageRepository(c.image) === push.repositoryUri);
  if (chosen.length === 0) {
    const why = containerName
      ? `has no container ${containerName}`
      : `runs no image of ${push.repositoryUri} (its images: ${containers.map((c) => c.image).join(", ") || "none"}); name the container in the group (containerName)`;
    throw new ValidationError("containerName", `task definition ${current.arn} ${why}`);
  }
  const image = `${push.repositoryUri}@${push.digest}`;
  return {
    body: { ...current.body, containerDefinitions: containers.map((c) => (chosen.includes(c) ? { ...c, image } : c)) },
    containers: chosen.map((c) => c.name ?? ""),
  };
}
