/**
 * The skaffold source of rollout releases: the archive's files, its determinism, and the two custom actions
 * run as Cloud Deploy runs them (bash in the action container), against a fake gcloud that keeps
 * "gs://" objects in a folder and records Cloud Run updates.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import {
  DEPLOY_ACTION,
  MANIFEST_FILE,
  RENDER_ACTION,
  SKAFFOLD_FILE,
  skaffoldSourceFiles,
} from "../../plans/skaffold-source";
import { readSourceArchive, writeSourceArchive } from "../../delivery/source-archive";

interface Action {
  name: string;
  containers: { image: string; command: string[]; args: string[] }[];
}

const FAKE_GCLOUD = `#!/bin/bash
# gcloud storage cp SRC DST with gs://x/y kept at $FAKE_GCS/x/y; gcloud run services update: recorded.
set -euo pipefail
echo "gcloud $*" >> "$FAKE_LOG"
local_path() { case "$1" in gs://*) echo "$FAKE_GCS/\${1#gs://}";; *) echo "$1";; esac; }
if [ "$1 $2" = "storage cp" ]; then
  dst=$(local_path "$4"); mkdir -p "$(dirname "$dst")"; cp "$(local_path "$3")" "$dst"
elif [ "$1 $2 $3" = "run services update" ] || [ "$1 $2 $3" = "run services update-traffic" ]; then
  :
else
  echo "fake gcloud: unexpected $*" >&2; exit 3
fi
`;

function tempDir(t: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `msp-${t}-`));
}

describe("skaffold source archive", () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const dir = (t: string) => {
    const d = tempDir(t);
    dirs.push(d);
    return d;
  };

  it("holds skaffold.yaml and the Cloud Run service manifest, byte for byte the same every time", () => {
    const files = skaffoldSourceFiles({ serviceId: "pings" });
    const a = writeSourceArchive(dir("a"), files);
    const b = writeSourceArchive(dir("b"), files);
    assert.deepEqual(a.entries, [MANIFEST_FILE, SKAFFOLD_FILE]);
    assert.equal(a.sha256, b.sha256);
    assert.deepEqual(readSourceArchive(a.file), files);
    const manifest = parse(files[MANIFEST_FILE]!) as { kind: string; spec: unknown };
    assert.equal(manifest.kind, "Service");
    assert.deepEqual(manifest.spec, { template: { spec: { containers: [{ image: "IMAGE:TAG" }] } } });
  });

  it("defines the render and deploy actions the custom target type names", () => {
    const config = parse(skaffoldSourceFiles({ serviceId: "pings" })[SKAFFOLD_FILE]!) as {
      kind: string;
      customActions: Action[];
    };
    assert.equal(config.kind, "Config");
    assert.deepEqual(
      config.customActions.map((a) => a.name),
      [RENDER_ACTION, DEPLOY_ACTION],
    );
    for (const a of config.customActions) assert.match(a.containers[0]!.image, /google-cloud-cli/);
  });

  it("render then deploy: the stage's service gets <image>:<tag>, both report SUCCEEDED", () => {
    const work = dir("actions");
    const bin = path.join(work, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "gcloud"), FAKE_GCLOUD, { mode: 0o755 });
    const gcs = path.join(work, "gcs");
    const archive = writeSourceArchive(dir("src"), skaffoldSourceFiles({ serviceId: "pings" }));
    fs.mkdirSync(path.join(gcs, "releases"), { recursive: true });
    fs.copyFileSync(archive.file, path.join(gcs, "releases", "source.tar.gz"));
    const config = parse(skaffoldSourceFiles({ serviceId: "pings" })[SKAFFOLD_FILE]!) as {
      customActions: Action[];
    };
    const run = (action: string, extra: Record<string, string>) => {
      const container = config.customActions.find((a) => a.name === action)!.containers[0]!;
      const r = spawnSync(container.command[0]!, container.args, {
        encoding: "utf8",
        env: {
          PATH: `${bin}:${process.env.PATH}`,
          FAKE_GCS: gcs,
          FAKE_LOG: path.join(work, "log"),
          CLOUD_DEPLOY_LOCATION: "us-central1",
          CLOUD_DEPLOY_customTarget_serviceID: "pings-dev-us-central1",
          CLOUD_DEPLOY_customTarget_image: "us-docker.pkg.dev/sourcegraph-images/internal/pings",
          CLOUD_DEPLOY_customTarget_projectID: "pings-dev-1234",
          CLOUD_DEPLOY_customTarget_tag: "5.4.1",
          ...extra,
        },
      });
      assert.equal(r.status, 0, r.stderr);
    };
    run(RENDER_ACTION, {
      CLOUD_DEPLOY_INPUT_GCS_PATH: "gs://releases/source.tar.gz",
      CLOUD_DEPLOY_OUTPUT_GCS_PATH: "gs://out/render",
    });
    const rendered = parse(fs.readFileSync(path.join(gcs, "out", "render", "manifest.yaml"), "utf8")) as {
      metadata: { name: string };
      spec: unknown;
    };
    assert.equal(rendered.metadata.name, "pings-dev-us-central1");
    assert.deepEqual(rendered.spec, {
      template: {
        spec: { containers: [{ image: "us-docker.pkg.dev/sourcegraph-images/internal/pings:5.4.1" }] },
      },
    });
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(gcs, "out", "render", "results.json"), "utf8")), {
      resultStatus: "SUCCEEDED",
      manifestFile: "gs://out/render/manifest.yaml",
    });

    const deploys = () =>
      fs
        .readFileSync(path.join(work, "log"), "utf8")
        .split("\n")
        .filter((l) => l.startsWith("gcloud run "));
    const where = "--region=us-central1 --project=pings-dev-1234 --quiet";
    const image = "--image=us-docker.pkg.dev/sourcegraph-images/internal/pings:5.4.1";
    run(DEPLOY_ACTION, { CLOUD_DEPLOY_OUTPUT_GCS_PATH: "gs://out/deploy" });
    assert.deepEqual(deploys(), [
      `gcloud run services update pings-dev-us-central1 ${image} ${where}`,
      `gcloud run services update-traffic pings-dev-us-central1 --to-latest ${where}`,
    ]);
    // A canary phase: the new revision without traffic, then the phase's share; the stable phase: all of it.
    fs.writeFileSync(path.join(work, "log"), "");
    run(DEPLOY_ACTION, {
      CLOUD_DEPLOY_OUTPUT_GCS_PATH: "gs://out/deploy",
      CLOUD_DEPLOY_PERCENTAGE_DEPLOY: "10",
    });
    run(DEPLOY_ACTION, {
      CLOUD_DEPLOY_OUTPUT_GCS_PATH: "gs://out/deploy",
      CLOUD_DEPLOY_PERCENTAGE_DEPLOY: "100",
    });
    assert.deepEqual(deploys(), [
      `gcloud run services update pings-dev-us-central1 ${image} --no-traffic ${where}`,
      `gcloud run services update-traffic pings-dev-us-central1 --to-revisions=LATEST=10 ${where}`,
      `gcloud run services update pings-dev-us-central1 ${image} ${where}`,
      `gcloud run services update-traffic pings-dev-us-central1 --to-latest ${where}`,
    ]);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(gcs, "out", "deploy", "results.json"), "utf8")), {
      resultStatus: "SUCCEEDED",
    });
  });
});
