/**
 * The layers of the code, bottom first: the one statement of the order that test/architecture/layers.test.ts
 * checks every import against and README.md's architecture section lists.
 */
/** Bottom first. A folder may import its own files and those of folders in earlier rows only. */
export const LAYERS: readonly (readonly string[])[] = [
  ["pulumi-sdk"],
  ["platform"],
  ["plans", "servicespec", "engine"],
  ["resolve", "components", "policy"],
  ["program", "policy-emulator", "doctor"],
  ["delivery", "runner"],
  ["handbook"],
  ["cli"],
  ["bin", "index.ts"],
];
