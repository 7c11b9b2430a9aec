import type { ServiceDefinition } from "../shared/service.js";
import { EcrWorld } from "./world.js";

/** CreateRepository's `repositoryName` constraint (ECR API reference): 2-256 characters of this pattern. */
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/**
 * ECR: repositories and pushed images, as far as releases need them (no API is served: a push is
 * made on the world, `account.ecr.push`, and emits "ECR Image Action"). Setup:
 * `"ecr": {"repositories": ["media/thumbnailer"]}`.
 */
export const ecr: ServiceDefinition<"ecr", EcrWorld> = {
  name: "ecr",
  create(ctx) {
    const world = new EcrWorld(ctx.region, ctx.accountId, (e) => ctx.emit(e));
    return {
      world,
      setup: {
        keys: ["ecr"],
        parse(setup, c) {
          if (setup.ecr === undefined) return () => undefined;
          const o = c.object(setup.ecr, "account.ecr", ["repositories"]);
          const names = c.array(o?.repositories, "account.ecr.repositories").filter((r, i) => {
            const ok = typeof r === "string" && REPOSITORY_NAME.test(r) && r.length >= 2 && r.length <= 256;
            if (!ok) c.fail(`account.ecr.repositories[${i}]`, "must be an ECR repository name (2-256 lowercase letters, digits and ._-/ separators)");
            return ok;
          }) as string[];
          return () => {
            for (const r of names) world.createRepository(r);
          };
        },
      },
    };
  },
};
