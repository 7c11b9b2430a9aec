import { controlCommand } from "../operator/control-command.js";

export const summary = "finish now: skip remaining steps and bakes, go to 100%, run AfterAllowTraffic";
export default controlCommand("promote");
