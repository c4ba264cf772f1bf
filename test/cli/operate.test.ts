/**
 * The operator commands: init, init-env, fleet, pg connect, logs, console, usage errors and --help.
 * Runner: in-process (mspInProcess): the subject is each command's logic and output (pg connect spawns a fake
 * proxy found on the PATH given); test/cli/in-process.e2e.test.ts runs the same commands through the bundle
 * (bin/msp.js) and checks both agree byte for byte.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FLEET_SERVICES, mspInProcess } from "../helpers/cli";

describe("operator commands", () => {
  it("msp init + init-env + validate succeeds and keeps comments", async function () {
    this.timeout(120_000); // seven runs of msp: seconds each on a loaded 2-core machine
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-init-"));
    const services = path.join(root, "services");
    fs.mkdirSync(services);
    assert.equal((await mspInProcess(["init", "demo", "--services", services])).status, 0);
    const file = path.join(services, "demo", "service.yaml");
    fs.appendFileSync(file, "# a comment the owner wrote\n");
    const r = await mspInProcess([
      "init-env",
      "demo",
      "prod",
      "--tag",
      "1.0.0",
      "--notion-page",
      "0123abcd",
      "--services",
      services,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const text = fs.readFileSync(file, "utf8");
    assert.match(text, /# a comment the owner wrote/);
    assert.match(text, /# The project ID can never change/);
    assert.match(text, /projectID: demo-prod-[0-9a-f]{4}\n/);
    const v = await mspInProcess(["validate", "--services", services]);
    assert.equal(v.status, 0, v.stderr);
    assert.match(v.stdout, /1 services, 2 environments/);
    assert.ok(fs.existsSync(path.join(root, "stacks", "Pulumi.demo-prod.yaml")));
    assert.equal(
      (await mspInProcess(["init", "demo", "--services", services])).status,
      2,
      "refuses to overwrite",
    );
    assert.equal((await mspInProcess(["init", "jobby", "--kind", "job", "--services", services])).status, 0);
    assert.equal((await mspInProcess(["validate", "--services", services])).status, 0);
  });

  it("msp fleet counts services, environments, deploy types and resources", async () => {
    // The tests' own fleet (test/fixtures/fleet): services/ is the adopter's and changes.
    const r = await mspInProcess(["fleet", "--services", FLEET_SERVICES]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Services: 5 \(4 services, 1 jobs\), teams: 5\n/);
    assert.match(r.stdout, /Environments: 8 \(test 4, internal 2, external 2\)/);
    assert.match(r.stdout, /Deploy types: manual 5, rollout 2, subscription 1/);
    assert.match(r.stdout, /Resources: PostgreSQL 3, Redis 3, BigQuery 1, domains 7/);
  });

  it("msp pg connect --print: the proxy from a laptop (public connector address, IAM login) and psql, per account", async () => {
    const ro = await mspInProcess(["pg", "connect", "--print", "releaseregistry", "prod"]);
    assert.equal(ro.status, 0, ro.stderr);
    const proxy = ro.stdout.split("\n").find((l) => l.startsWith("cloud-sql-proxy "));
    assert.match(
      proxy ?? "",
      /^cloud-sql-proxy --auto-iam-authn --impersonate-service-account=operatoraccess-[0-9a-f]{6}@releaseregistry-prod-5421\.iam\.gserviceaccount\.com --port=5433 releaseregistry-prod-5421:us-central1:postgresql-[0-9a-f]{4}$/,
    );
    // --private-ip would need a VPN into the service's network: the laptop reaches the connector address.
    assert.doesNotMatch(ro.stdout, /--private-ip/);
    assert.match(
      ro.stdout,
      /psql -U operatoraccess-[0-9a-f]{6}@releaseregistry-prod-5421\.iam -d releaseregistry -h 127\.0\.0\.1 -p 5433/,
    );
    assert.match(ro.stdout, /Read-only access/);
    const rw = await mspInProcess([
      "pg",
      "connect",
      "--print",
      "--write-access",
      "--port",
      "6000",
      "releaseregistry",
      "prod",
    ]);
    assert.match(
      rw.stdout,
      /--impersonate-service-account=releaseregistry-sa@releaseregistry-prod-5421\.iam\.gserviceaccount\.com --port=6000 /,
    );
    assert.match(rw.stdout, /psql -U releaseregistry-sa@releaseregistry-prod-5421\.iam -d releaseregistry/);
    assert.equal(
      (await mspInProcess(["pg", "connect", "--print", "cody-analytics", "prod"])).status,
      2,
      "no database",
    );
  });

  it("msp pg connect runs the proxy (a fake cloud-sql-proxy on PATH) and says what it runs", async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "msp-proxy-"));
    try {
      const log = path.join(bin, "args");
      fs.writeFileSync(path.join(bin, "cloud-sql-proxy"), `#!/bin/sh\necho "$@" > "${log}"\nexit 0\n`, {
        mode: 0o755,
      });
      const r = await mspInProcess(["pg", "connect", "releaseregistry", "dev"], undefined, {
        PATH: `${bin}:${process.env.PATH}`,
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stdout,
        /# Starting the Cloud SQL Auth Proxy \(Ctrl-C to stop\): cloud-sql-proxy --auto-iam-authn/,
      );
      assert.match(r.stdout, /psql -U operatoraccess-/);
      assert.match(
        fs.readFileSync(log, "utf8"),
        /^--auto-iam-authn --impersonate-service-account=operatoraccess-[0-9a-f]{6}@releaseregistry-dev-6bac\.iam\.gserviceaccount\.com --port=5433 releaseregistry-dev-6bac:us-central1:postgresql-[0-9a-f]{4}$/m,
      );
      fs.rmSync(path.join(bin, "cloud-sql-proxy"));
      const missing = await mspInProcess(["pg", "connect", "releaseregistry", "dev"], undefined, {
        PATH: `${bin}:/usr/bin:/bin`,
      });
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /cloud-sql-proxy is not on PATH/);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it("msp logs and msp console print the links", async () => {
    assert.match(
      (await mspInProcess(["logs", "usage-exporter", "prod"])).stdout,
      /logs\/query;query=resource\.type%20%3D%20%22cloud_run_job%22.*project=usage-exporter-prod-3f1c/,
    );
    assert.equal(
      (await mspInProcess(["console", "pings", "prod"])).stdout.trim(),
      "https://console.cloud.google.com/run?project=pings-prod-2f4f73edf1db",
    );
  });

  for (const cmd of [
    ["logs"],
    ["console", "pings"],
    ["pg", "connect", "pings", "nope"],
    ["docs"],
    ["init", "Bad_ID"],
    ["fleet", "--nope"],
    ["bogus"],
    ["previw"],
  ])
    it(`exits 2 with a one-line error: msp ${cmd.join(" ")}`, async () => {
      const r = await mspInProcess(cmd);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    });

  for (const cmd of [
    "validate",
    "schema",
    "preview",
    "policy",
    "docs",
    "fleet",
    "init",
    "init-env",
    "logs",
    "console",
    "pg",
  ])
    it(`msp ${cmd} --help`, async () => {
      const r = await mspInProcess([cmd, "--help"]);
      assert.equal(r.status, 0);
      assert.match(r.stdout, new RegExp(`Usage: msp ${cmd}`));
    });
});
