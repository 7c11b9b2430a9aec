import { controlCommand } from "../operator/control-command.js";

export default controlCommand("resume");
