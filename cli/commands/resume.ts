import { controlCommand } from "../operator/control-command.js";

export const summary = "continue a paused deployment with the bake time it had left";
export default controlCommand("resume");
