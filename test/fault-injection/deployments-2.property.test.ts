import { randomDeployments } from "./deployment-runs.js";

// The other half of the random deployments (deployment-runs.ts), on the second worker.
randomDeployments(2, 2);
