import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { imageRepository, pinnedTaskDefinition } from "../../../functions/domain/ecs/index.js";
import { TD } from "./fixtures.js";

const REPO = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web";
const DIGEST = `sha256:${"ab".repeat(32)}`;
const current = {
  arn: TD,
  body: {
    family: "web",
    networkMode: "awsvpc",
    containerDefinitions: [
      { name: "web", image: `${REPO}:v7`, portMappings: [{ containerPort: 80 }] },
      { name: "envoy", image: "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.27" },
    ],
  },
};

describe("pinnedTaskDefinition", () => {
  it("pins the container running the pushed repository to the digest, keeping everything else", () => {
    const { body, containers } = pinnedTaskDefinition(current, { repositoryUri: REPO, digest: DIGEST });
    expect(containers).toEqual(["web"]);
    expect(body).toEqual({ ...current.body, containerDefinitions: [{ name: "web", image: `${REPO}@${DIGEST}`, portMappings: [{ containerPort: 80 }] }, current.body.containerDefinitions[1]] });
  });

  it("pins the group's container even when it ran another repository", () => {
    expect(pinnedTaskDefinition(current, { repositoryUri: `${REPO}-next`, digest: DIGEST }, "web").body.containerDefinitions).toMatchObject([{ image: `${REPO}-next@${DIGEST}` }, { name: "envoy" }]);
  });

  it.each([
    [{ repositoryUri: `${REPO}-other`, digest: DIGEST }, undefined, "runs no image of 123456789012.dkr.ecr.us-east-1.amazonaws.com/web-other"],
    [{ repositoryUri: REPO, digest: DIGEST }, "api", "has no container api"],
    [{ repositoryUri: REPO, digest: "sha256:abc" }, undefined, "digest: must be sha256:<64 hex digits>"],
  ])("refuses %j (container %s)", (push, container, message) => {
    expect(() => pinnedTaskDefinition(current, push, container)).toThrow(message);
  });

  it("reads the repository of any image reference, with or without tag, digest or registry port", () => {
    fc.assert(
      fc.property(fc.constantFrom("registry:5000/team/app", REPO, "nginx"), fc.option(fc.stringMatching(/^[a-z0-9.]{1,10}$/), { nil: undefined }), fc.boolean(), (repo, tag, digest) => {
        const image = `${repo}${tag ? `:${tag}` : ""}${digest ? `@${DIGEST}` : ""}`;
        expect(imageRepository(image)).toBe(repo);
      }),
    );
  });
});
