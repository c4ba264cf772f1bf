/**
 * msp rollback, through the command's code (cli/main.ts), on the tests' own fleet: what it prints, and with
 * --run what it asks gcloud (a fake one on PATH answering the look-ups) and runs, in order.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FLEET_SERVICES, mspInProcess } from "../helpers/cli";

describe("msp rollback", () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "msp-rollback-test-"));
    dirs.push(d);
    return d;
  };
  const rollback = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    mspInProcess(["--services", FLEET_SERVICES, "rollback", ...args], undefined, env);

  /** A gcloud that answers the revision look-ups with `revisions` and logs every call. */
  function fakeGcloud(revisions: unknown[], traffic: unknown[]) {
    const bin = tmp();
    const log = path.join(bin, "gcloud.log");
    fs.writeFileSync(path.join(bin, "revisions.json"), JSON.stringify(revisions));
    fs.writeFileSync(path.join(bin, "service.json"), JSON.stringify({ status: { traffic } }));
    fs.writeFileSync(
      path.join(bin, "gcloud"),
      [
        "#!/bin/sh",
        `echo "$*" >> "${log}"`,
        `case "$*" in`,
        `  "run revisions list"*) cat "${bin}/revisions.json" ;;`,
        `  "run services describe"*) cat "${bin}/service.json" ;;`,
        "esac",
      ].join("\n"),
      { mode: 0o755 },
    );
    return {
      env: { PATH: `${bin}:${process.env.PATH}` },
      calls: () => fs.readFileSync(log, "utf8").trim().split("\n"),
    };
  }
  const rev = (n: string, at: string, image: string) => ({
    metadata: { name: `releaseregistry-prod-us-central1-${n}`, creationTimestamp: at },
    status: { conditions: [{ type: "Ready", status: "True" }] },
    spec: { containers: [{ image }] },
  });

  it("prints the traffic command and the spec line to change, with the file:line:col of the tag", async () => {
    const r = await rollback([
      "releaseregistry",
      "prod",
      "--to",
      "releaseregistry-prod-us-central1-00002-abc",
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^gcloud run services update-traffic releaseregistry-prod-us-central1 --to-revisions=releaseregistry-prod-us-central1-00002-abc=100 --region=us-central1 --project=releaseregistry-prod-5421$/m,
    );
    const spec = fs
      .readFileSync(path.join(FLEET_SERVICES, "releaseregistry", "service.yaml"), "utf8")
      .split("\n");
    const [, line, col] = /service\.yaml:(\d+):(\d+), now v0\.4\.2/.exec(r.stdout)!;
    assert.equal(
      spec[Number(line) - 1]!.slice(Number(col) - 1),
      "v0.4.2",
      "the location points at the tag's value",
    );
    assert.match(r.stdout, /set environments\[0\]\.deploy\.manual\.tag \(/);
  });

  it("--run looks the previous revision up, moves the traffic and names the tag to commit", async () => {
    const repo = "us.gcr.io/sourcegraph-dev/releaseregistry";
    const g = fakeGcloud(
      [
        rev("00003-ccc", "2026-01-03T00:00:00Z", `${repo}:v0.4.2`),
        rev("00002-bbb", "2026-01-02T00:00:00Z", `${repo}:v0.4.1`),
        rev("00001-aaa", "2026-01-01T00:00:00Z", `${repo}:v0.4.0`),
      ],
      [{ revisionName: "releaseregistry-prod-us-central1-00003-ccc", percent: 100 }],
    );
    const r = await rollback(["releaseregistry", "prod", "--run"], g.env);
    assert.equal(r.status, 0, r.stderr);
    const calls = g.calls();
    assert.equal(calls.length, 3, calls.join("\n"));
    assert.match(
      calls[0]!,
      /^run revisions list --service=releaseregistry-prod-us-central1 .*--format=json$/,
    );
    assert.match(calls[1]!, /^run services describe releaseregistry-prod-us-central1 .*--format=json$/);
    assert.equal(
      calls[2],
      "run services update-traffic releaseregistry-prod-us-central1 --to-revisions=releaseregistry-prod-us-central1-00002-bbb=100 --region=us-central1 --project=releaseregistry-prod-5421",
    );
    assert.match(r.stdout, /set environments\[0\]\.deploy\.manual\.tag to v0\.4\.1 \(/);
  });

  it("--run with no earlier ready revision says so and changes nothing", async () => {
    const g = fakeGcloud(
      [rev("00001-aaa", "2026-01-01T00:00:00Z", "x:v1")],
      [{ revisionName: "releaseregistry-prod-us-central1-00001-aaa", percent: 100 }],
    );
    const r = await rollback(["releaseregistry", "prod", "--run"], g.env);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no ready revision older than the one serving.*--to <tag>/);
    assert.ok(g.calls().every((c) => !c.includes("update-traffic")));
  });

  it("rollouts roll the Cloud Deploy target back", async () => {
    const r = await rollback(["pings", "prod"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^gcloud deploy targets rollback prod-us-central1 --delivery-pipeline=pings-us-central1-rollout --project=pings-prod-2f4f73edf1db --region=us-central1$/m,
    );
  });

  it("refuses, on one line, what cannot be rolled back to", async () => {
    for (const args of [
      ["usage-exporter", "prod"],
      ["releaseregistry", "prod", "--to", "bad tag"],
      ["pings", "prod", "--to", "v1.2.3"],
      ["releaseregistry", "prd"],
    ]) {
      const r = await rollback(args);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
  });
});
