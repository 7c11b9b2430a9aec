import { controlCommand } from "../operator/control-command.js";

export const summary = "freeze a deployment at its current weight; alarms keep watching";
export default controlCommand("pause");
