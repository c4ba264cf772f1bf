/**
 * The SDK versions this folder was written against. Everything in pulumi-sdk/ reaches into these packages'
 * internals (modules outside their public entry points, private members, the protobuf wire classes), which a
 * minor release may move: package.json pins each exactly, and test/pulumi-sdk/ fails when a pin, the installed
 * package and this table disagree. To upgrade: bump the pin, run test/pulumi-sdk/ (the guard tests say what
 * moved), adapt the files here, then change this table. No file outside this folder reaches the internals
 * (test/pulumi-sdk/one-room.test.ts), so an upgrade is a change to this folder.
 */
import * as path from "node:path";

export const WRITTEN_FOR = {
  "@pulumi/pulumi": "3.248.0",
  "@pulumi/policy": "1.21.0",
  "google-protobuf": "3.21.4",
} as const;

/** The installed @pulumi/pulumi's version, as `msp preview` reports it (a SARIF run's tool, the plan's header). */
export const SDK_VERSION = (require("@pulumi/pulumi/package.json") as { version: string }).version;

/**
 * The node_modules folder this checkout runs with: the one holding the installed @pulumi/pulumi. A copy of a
 * service's own resources.ts in a temporary folder (msp diff --base) resolves `@pulumi/*` through a link to it,
 * so it runs on the same SDK and runtime as the program.
 */
export function sdkNodeModules(): string {
  return path.resolve(require.resolve("@pulumi/pulumi/package.json"), "..", "..", "..");
}
