import type { SetupSection } from "../shared/service.js";
import type { ElasticBeanstalkWorld } from "./world.js";

/**
 * The Elastic Beanstalk part of the account setup:
 *   "elasticbeanstalk": { "applications": [{ "name": "orders-web",
 *       "environments": [{ "name": "orders-web-prod", "versionLabel"?: "v1",
 *                          "deploySeconds"?: 60, "failDeployments"?: [2] }] }] }
 * Environments are Ready and Green from the start; `failDeployments` lists which of its deployments
 * (1 = the first UpdateEnvironment) fail.
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9-]{2,39}$/;

export function elasticBeanstalkSetup(world: ElasticBeanstalkWorld): SetupSection {
  return {
    keys: ["elasticbeanstalk"],
    parse(setup, c) {
      if (setup["elasticbeanstalk"] === undefined) return () => {};
      const o = c.object(setup["elasticbeanstalk"], "account.elasticbeanstalk", ["applications"]);
      const apps = c.array(o?.["applications"], "account.elasticbeanstalk.applications").flatMap((raw, i) => {
        const f = `account.elasticbeanstalk.applications[${i}]`;
        const a = c.object(raw, f, ["name", "environments"]);
        const name = a && c.string(a, "name", f, { required: true });
        const envs = c.array(a?.["environments"], `${f}.environments`).flatMap((rawEnv, j) => {
          const g = `${f}.environments[${j}]`;
          const e = c.object(rawEnv, g, ["name", "versionLabel", "deploySeconds", "failDeployments"]);
          if (!e) return [];
          const envName = c.string(e, "name", g, { required: true });
          // CreateEnvironment's rule: 4-40 characters, letters, digits and hyphens, not starting with a hyphen
          if (envName && !NAME.test(envName)) c.fail(`${g}.name`, "must be an environment name (4-40 of A-Z a-z 0-9 -, not starting with -)");
          const versionLabel = c.string(e, "versionLabel", g);
          const deploySeconds = c.number(e, "deploySeconds", g, { min: 1, integer: true });
          const failDeployments = c.array(e["failDeployments"], `${g}.failDeployments`).filter((n, k) => {
            if (Number.isInteger(n) && (n as number) >= 1) return true;
            c.fail(`${g}.failDeployments[${k}]`, "must be a deployment number >= 1");
            return false;
          }) as number[];
          return envName ? [{ name: envName, ...(versionLabel && { versionLabel }), ...(deploySeconds !== undefined && { deploySeconds }), failDeployments }] : [];
        });
        return name ? [{ name, envs }] : [];
      });
      return () => {
        for (const a of apps) {
          const app = world.createApplication(a.name);
          for (const e of a.envs) world.createEnvironment(app, e);
        }
      };
    },
  };
}
