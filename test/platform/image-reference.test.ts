import * as assert from "node:assert/strict";
import { artifactRegistryImage, isPinnedToDigest } from "../../platform/image-reference";

describe("image references", () => {
  it("reads the Artifact Registry repository of pkg.dev images", () => {
    assert.deepEqual(artifactRegistryImage("us-central1-docker.pkg.dev/sourcegraph-ci/msp/usage-exporter"), {
      location: "us-central1",
      project: "sourcegraph-ci",
      repositoryId: "msp",
      imageName: "usage-exporter",
    });
    assert.deepEqual(artifactRegistryImage("us-docker.pkg.dev/sourcegraph-images/internal/team/pings"), {
      location: "us",
      project: "sourcegraph-images",
      repositoryId: "internal",
      imageName: "team/pings",
    });
  });

  it("maps Container Registry hosts to their Artifact Registry repositories", () => {
    assert.deepEqual(artifactRegistryImage("us.gcr.io/sourcegraph-dev/releaseregistry"), {
      location: "us",
      project: "sourcegraph-dev",
      repositoryId: "us.gcr.io",
      imageName: "releaseregistry",
    });
    assert.equal(artifactRegistryImage("eu.gcr.io/p/i")?.location, "europe");
  });

  it("has no repository for other registries or incomplete paths", () => {
    for (const image of [
      "docker.io/sourcegraph/pings",
      "ghcr.io/sourcegraph/pings",
      "us-central1-docker.pkg.dev/project/repo",
      "us.gcr.io/project",
      "pings",
    ])
      assert.equal(artifactRegistryImage(image), undefined, image);
  });

  it("recognises a reference pinned to a digest", () => {
    assert.ok(isPinnedToDigest(`r/i@sha256:${"a".repeat(64)}`));
    assert.ok(!isPinnedToDigest("r/i:main"));
    assert.ok(!isPinnedToDigest("r/i@sha256:abc"));
  });
});
