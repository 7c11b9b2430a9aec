import type { SetupSection } from "../shared/service.js";
import type { SfnWorld, StateMachineSpec } from "./world.js";

/**
 * The account setup's `stateMachines` (their executions are run by an ExecutionHost, the local runtime):
 *
 *   "stateMachines": [{ "name": "deploy-lambda", "type": "STANDARD", "definition": {...}, "roleArn": "arn:..." }]
 */
export function sfnSetup(world: SfnWorld): SetupSection {
  return {
    keys: ["stateMachines"],
    parse(setup, c) {
      const specs: StateMachineSpec[] = [];
      c.array(setup.stateMachines, "account.stateMachines").forEach((m, i) => {
        const field = `account.stateMachines[${i}]`;
        const so = c.object(m, field, ["name", "type", "definition", "roleArn"]);
        if (!so) return;
        const name = c.string(so, "name", field, { required: true });
        const type = c.string(so, "type", field, { oneOf: ["STANDARD", "EXPRESS"] }) as StateMachineSpec["type"];
        const roleArn = c.string(so, "roleArn", field);
        const definition = so.definition;
        if (definition !== undefined && typeof definition !== "string" && (typeof definition !== "object" || definition === null || Array.isArray(definition))) {
          c.fail(`${field}.definition`, "must be an ASL object or its JSON text");
        }
        if (name !== undefined && (name.length > 80 || /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(name))) c.fail(`${field}.name`, "must be a Step Functions name (1-80 characters, no white space or special characters)");
        const taken = specs.some((x) => x.name === name) || world.stateMachines().some((x) => x.name === name);
        if (name !== undefined && taken) c.fail(`${field}.name`, `state machine ${name} is defined twice`);
        if (name === undefined) return;
        const spec: StateMachineSpec = { name };
        if (type) spec.type = type;
        if (roleArn) spec.roleArn = roleArn;
        if (definition !== undefined) spec.definition = definition as string | object;
        specs.push(spec);
      });
      return () => {
        for (const s of specs) world.registerStateMachine(s);
      };
    },
  };
}
