import type { SetupSection } from "../shared/service.js";
import type { SnsWorld } from "./world.js";

/**
 * The SNS part of the account setup: `"topics": ["orders-deployments"]`, topic names of this account and region
 * (CreateTopic's rule: 1-256 of A-Z a-z 0-9 _ -, `.fifo` for FIFO topics).
 */
const TOPIC = /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export function snsSetup(world: SnsWorld): SetupSection {
  return {
    keys: ["topics"],
    parse(setup, c) {
      const names = c.array(setup.topics, "account.topics").filter((t, i) => {
        if (typeof t === "string" && TOPIC.test(t)) return true;
        c.fail(`account.topics[${i}]`, "must be an SNS topic name (1-256 of A-Z a-z 0-9 _ -, .fifo for FIFO topics)");
        return false;
      }) as string[];
      return () => {
        for (const n of names) world.createTopic(n);
      };
    },
  };
}
