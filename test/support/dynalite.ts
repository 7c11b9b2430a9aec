// dynalite is started by the simulator as well as by tests; the implementation lives with the other emulators.
export { type LocalDynamoDb, startDynalite } from "../../local/emulators/dynalite.js";
