/** The app harness with ServiceOverrides (kept as a name for the hostile tests). */
export { startHarness as startHostileHarness, type Harness } from "../helpers/app-harness.js";
export { installationPayload } from "../helpers/e2e-fixtures.js";
