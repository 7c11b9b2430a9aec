export { default, summary } from "./pipeline/index.js";
