import { controlCommand } from "../operator/control-command.js";

export const summary = "stop a deployment and roll traffic back (--no-rollback leaves it where it is)";
export default controlCommand("stop");
