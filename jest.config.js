/** Jest on native ESM: probot 14 is ESM-only. */
export default {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } }, module: { type: "es6" } }],
  },
  testTimeout: 30000,
  // Suites start Redis clients, HTTP servers and child processes and close them in afterAll;
  // a handle that outlives them must not keep CI waiting after the last test.
  forceExit: true,
};
