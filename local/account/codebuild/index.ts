import type { ServiceDefinition } from "../shared/service.js";
import { CodeBuildWorld } from "./world.js";

/** CreateProject's `name` constraint (CodeBuild API reference): 2-255 characters, a letter or digit first. */
const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9\-_]{1,254}$/;

/**
 * CodeBuild: projects and builds that run their buildspec for real (world.ts). No wire API is
 * served (the SDK's CodeBuild client is not a dependency): Step Functions' `codebuild:startBuild.sync`
 * reaches the world through the account's callbacks, as `states:startExecution.sync` does. Setup:
 * `"codebuild": {"projects": [{"name": "app-build", "buildspec"?: "<yaml>", "failBuilds"?: [1]}]}`.
 */
export const codeBuild: ServiceDefinition<"codebuild", CodeBuildWorld> = {
  name: "codebuild",
  create(ctx) {
    const world = new CodeBuildWorld(ctx.clock, ctx.region, ctx.accountId, () => ctx.ids.uuid(), (text) => ctx.log("codebuild", text));
    return {
      world,
      setup: {
        keys: ["codebuild"],
        parse(setup, c) {
          if (setup.codebuild === undefined) return () => undefined;
          const o = c.object(setup.codebuild, "account.codebuild", ["projects"]);
          const projects = c.array(o?.projects, "account.codebuild.projects").flatMap((p, i) => {
            const at = `account.codebuild.projects[${i}]`;
            const po = c.object(p, at, ["name", "buildspec", "failBuilds"]);
            if (!po) return [];
            const name = c.string(po, "name", at, { required: true });
            const buildspec = c.string(po, "buildspec", at);
            const failBuilds = c.array(po.failBuilds, `${at}.failBuilds`).filter((n, j) => {
              if (Number.isInteger(n) && (n as number) >= 1) return true;
              c.fail(`${at}.failBuilds[${j}]`, "must be a build number (1, 2, ...)");
              return false;
            }) as number[];
            if (name !== undefined && !PROJECT_NAME.test(name)) c.fail(`${at}.name`, "must be a CodeBuild project name (2-255 of A-Z a-z 0-9 - _, a letter or digit first)");
            return name ? [{ name, opts: { ...(buildspec !== undefined && { buildspec }), ...(failBuilds.length && { failBuilds }) } }] : [];
          });
          return () => {
            for (const p of projects) world.createProject(p.name, p.opts);
          };
        },
      },
    };
  },
};
