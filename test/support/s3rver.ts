export { type LocalS3, startS3rver } from "../../local/emulators/s3rver.js";
