/**
 * The base's files for `msp diff --base` (delivery/base-tree.ts): a service's own resources (issue 25.5), written
 * to a temporary folder, still load with this checkout's SDK, and removing the tree leaves node_modules alone.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { treeAt } from "../../delivery/base-tree";
import type { Git } from "../../delivery/git";
import { loadServiceResources } from "../../program/service-resources";

const RESOURCES = `import * as gcp from "@pulumi/gcp";
export default function () {
  return { bucketType: gcp.storage.Bucket.__pulumiType };
}
`;

/** A Git that has one service with a resources.ts at every commit. */
const git = {
  filesAt: (_commit: string, dir: string) =>
    dir === "services" ? ["services/own/service.yaml", "services/own/resources.ts"] : [],
  show: (_commit: string, file: string) => Buffer.from(file.endsWith(".ts") ? RESOURCES : "service: {}\n"),
} as unknown as Git;

describe("the base's tree (msp diff --base)", () => {
  it("a service's resources.ts there imports @pulumi/* from this checkout's node_modules", () => {
    const tree = treeAt(git, "0".repeat(40), "services", undefined);
    try {
      const own = loadServiceResources(path.join(tree.services, "own"));
      assert.ok(own);
      assert.deepEqual(own({} as never), { bucketType: "gcp:storage/bucket:Bucket" });
    } finally {
      tree.remove();
    }
    assert.equal(fs.existsSync(tree.root), false);
    assert.ok(fs.existsSync(require.resolve("@pulumi/gcp/package.json")), "node_modules is left as it was");
  });
});
