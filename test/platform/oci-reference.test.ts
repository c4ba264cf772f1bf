/** platform/oci-reference.ts: images and tags are references by the OCI grammar, nothing else (issue 23, finding 5). */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { parseRepository, tagProblem } from "../../platform/oci-reference";
import { parseServiceSpec, SpecError } from "../../servicespec/loader";
import { REPO } from "../helpers/cli";

describe("image references (platform/oci-reference.ts)", () => {
  it("refuses anything that is not a repository reference: newlines, spaces, shell characters, tags, digests", () => {
    for (const image of [
      "us.gcr.io/sourcegraph-dev/x\ntouch /tmp/pwned",
      "us.gcr.io/sourcegraph-dev/x;id",
      "us.gcr.io/sourcegraph-dev/$(id)",
      "us.gcr.io/sourcegraph-dev/x y",
      "us.gcr.io/sourcegraph-dev/X",
      "us.gcr.io/sourcegraph-dev/x:latest",
      "us.gcr.io/sourcegraph-dev/x@sha256:" + "a".repeat(64),
      "us.gcr.io/sourcegraph-dev//x",
      "us.gcr.io/sourcegraph-dev/x-",
      "sourcegraph/x",
      "-x.io/p/i",
      `us.gcr.io/${"a".repeat(260)}`,
    ])
      assert.ok("problem" in parseRepository(image), JSON.stringify(image));
  });

  it("accepts the registries' real forms (the control)", () => {
    for (const [image, host] of [
      ["us-central1-docker.pkg.dev/sourcegraph-ci/msp/releaseregistry", "us-central1-docker.pkg.dev"],
      ["us.gcr.io/sourcegraph-dev/release_registry", "us.gcr.io"],
      ["index.docker.io/sourcegraph/a__b.c-d", "index.docker.io"],
      ["localhost:5000/x", "localhost:5000"],
    ])
      assert.deepEqual(parseRepository(image!), { host, path: image!.slice(host!.length + 1) });
  });

  it("tags: the grammar's characters only", () => {
    for (const tag of ["v1\nid", "-x", ".x", "a b", "x".repeat(129), "a;b"]) assert.ok(tagProblem(tag), tag);
    for (const tag of ["5.4.1", "insiders", "main_2024-01", "X"])
      assert.equal(tagProblem(tag), undefined, tag);
  });

  it("a newline in build.image is an error at the field (it was its own line in msp release create)", () => {
    const text = `service:
  id: demo
  owners: [core-services]
  description: Demo.
build:
  image: "us.gcr.io/sourcegraph-dev/demo\\ngcloud projects delete x"
  source: { repo: github.com/sourcegraph/demo, dir: "." }
environments:
  - id: dev
    projectID: demo-dev-a1b2
    category: test
    deploy: { type: manual, manual: { tag: "v1\\nid" } }
    instances:
      resources: { cpu: 1, memory: 1Gi }
`;
    let issues: string[] = [];
    try {
      parseServiceSpec(path.join(REPO, "services", "demo", "service.yaml"), new TextEncoder().encode(text));
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      issues = e.issues.map((i) => `${i.line}:${i.col} ${i.field}`);
    }
    assert.deepEqual(issues, ["6:10 build.image", "12:44 environments[0].deploy.manual.tag"]);
  });
});
