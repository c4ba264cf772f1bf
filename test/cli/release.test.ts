/**
 * msp release create and msp release subscriptions, through the command's code (cli/main.ts).
 * Runner: in-process (mspInProcess): the subject is what the command writes, prints and runs (a fake gcloud on
 * PATH: the command spawns it with the environment given); test/cli/in-process.e2e.test.ts runs the same
 * commands through the bundle (bin/msp.js) and checks both agree byte for byte.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { mspInProcess } from "../helpers/cli";
import { readSourceArchive } from "../../delivery/source-archive";
import { releaseName } from "../../cli/commands/release";

describe("msp release", () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "msp-release-test-"));
    dirs.push(d);
    return d;
  };

  it("writes the source archive and prints the upload, the release and the promotion", async () => {
    const out = tmp();
    const r = await mspInProcess([
      "release",
      "create",
      "pings",
      "--tag",
      "5.4.1",
      "--name",
      "pings-541",
      "--out",
      out,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const archive = path.join(out, "source.tar.gz");
    assert.deepEqual(Object.keys(readSourceArchive(archive)).sort(), ["service.yaml", "skaffold.yaml"]);
    const lines = r.stdout.trim().split("\n");
    const source = "gs://pings-prod-2f4f73edf1db-cloudrun-skaffold/pings-541/source.tar.gz";
    assert.ok(
      lines.includes(`gcloud storage cp ${archive} ${source} --project=pings-prod-2f4f73edf1db`),
      r.stdout,
    );
    assert.ok(
      lines.includes(
        `gcloud deploy releases create pings-541 --delivery-pipeline=pings-us-central1-rollout --project=pings-prod-2f4f73edf1db --region=us-central1 --source=${source} --deploy-parameters=customTarget/tag=5.4.1`,
      ),
      r.stdout,
    );
    assert.ok(
      lines.includes(
        "gcloud deploy releases promote --release=pings-541 --delivery-pipeline=pings-us-central1-rollout --project=pings-prod-2f4f73edf1db --region=us-central1",
      ),
      r.stdout,
    );
    assert.match(r.stdout, /# Cloud Deploy deploys it to dev\./);
  });

  it("--run runs the commands in order with the caller's gcloud (a fake one here)", async () => {
    const out = tmp();
    const bin = tmp();
    const log = path.join(out, "gcloud.log");
    fs.writeFileSync(path.join(bin, "gcloud"), `#!/bin/sh\necho "$*" >> "${log}"\n`, { mode: 0o755 });
    const r = await mspInProcess(
      ["release", "create", "pings", "--tag", "v1", "--name", "pings-v1", "--out", out, "--run"],
      undefined,
      {
        PATH: `${bin}:${process.env.PATH}`,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const calls = fs.readFileSync(log, "utf8").trim().split("\n");
    assert.equal(calls.length, 2);
    assert.match(
      calls[0]!,
      /^storage cp .*source\.tar\.gz gs:\/\/pings-prod-2f4f73edf1db-cloudrun-skaffold\/pings-v1\//,
    );
    assert.match(calls[1]!, /^deploy releases create pings-v1 .*--deploy-parameters=customTarget\/tag=v1$/);
  });

  it("stops at the first failing command", async () => {
    const out = tmp();
    const bin = tmp();
    fs.writeFileSync(path.join(bin, "gcloud"), "#!/bin/sh\nexit 7\n", { mode: 0o755 });
    const r = await mspInProcess(
      ["release", "create", "pings", "--name", "pings-x", "--out", out, "--run"],
      undefined,
      {
        PATH: `${bin}:${process.env.PATH}`,
      },
    );
    assert.equal(r.status, 1);
    assert.match(r.stderr, /gcloud storage cp .* exited with 7/);
    assert.doesNotMatch(r.stdout, /releases create/);
  });

  it("refuses services without a rollout and bad tags, on one line", async () => {
    for (const args of [
      ["release", "create", "releaseregistry"],
      ["release", "create", "pings", "--tag", "bad tag"],
      ["release", "create", "pings", "--name", "Bad_Name"],
    ]) {
      const r = await mspInProcess(args);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
  });

  it("names releases <service>-<tag>-<UTC time>, valid for Cloud Deploy", () => {
    const at = new Date("2024-05-01T12:30:43Z");
    assert.equal(releaseName("pings", "5.4.1", at), "pings-5-4-1-20240501123043");
    const long = releaseName("a-very-long-service", "x".repeat(80), at);
    assert.ok(long.length <= 63 && /^[a-z][a-z0-9-]*[a-z0-9]$/.test(long), long);
  });

  it("lists the subscription stacks with the image and tag they follow", async () => {
    const r = await mspInProcess(["release", "subscriptions", "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      include: [
        {
          stack: "usage-exporter-prod",
          service: "usage-exporter",
          env: "prod",
          category: "internal",
          image: "us-central1-docker.pkg.dev/sourcegraph-ci/msp/usage-exporter",
          tag: "main",
        },
      ],
    });
  });
});
