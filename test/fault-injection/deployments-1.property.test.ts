import { randomDeployments } from "./deployment-runs.js";

// Half of the random deployments (deployment-runs.ts): one file per half, so two vitest workers share them.
randomDeployments(1, 2);
