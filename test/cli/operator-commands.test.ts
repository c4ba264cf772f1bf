/**
 * Operator commands (issue 24.7): `msp logs --tail`, `msp job run|pause|resume` (printed, or run with --run
 * through a fake gcloud on the PATH) and `msp pg connect`'s bounded session (a fake cloud-sql-proxy that never
 * ends by itself). Runner: in-process (mspInProcess), on the example services.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { mspInProcess } from "../helpers/cli";
import { exampleResolved, one, planOf } from "../helpers/stacks";
import { NotAJobError, scheduleCommand } from "../../delivery/operator-commands";

/** A folder holding an executable `name` with the given shell body; removed by the caller. */
function fakeTool(name: string, body: string): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), `msp-fake-${name}-`));
  fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return bin;
}

describe("operator commands: logs --tail, job, pg connect's session", () => {
  it("msp logs --tail prints the streaming command of a service (no request logs) and of a job", async () => {
    const svc = await mspInProcess(["logs", "--tail", "releaseregistry", "prod"]);
    assert.equal(svc.status, 0, svc.stderr);
    assert.equal(
      svc.stdout.split("\n")[1],
      `gcloud beta run services logs tail releaseregistry-prod-us-central1 --region=us-central1 --project=releaseregistry-prod-5421 '--log-filter=NOT logName:"run.googleapis.com%2Frequests"'`,
    );
    assert.match(svc.stdout, /^# .*gcloud components install log-streaming$/m);
    const job = await mspInProcess(["logs", "--tail", "usage-exporter", "prod"]);
    assert.equal(
      job.stdout.split("\n")[1],
      "gcloud beta run jobs logs tail usage-exporter-prod-us-central1 --region=us-central1 --project=usage-exporter-prod-3f1c",
    );
    // Without --tail, the link as before.
    assert.match((await mspInProcess(["logs", "usage-exporter", "prod"])).stdout, /^https:\/\/console/);
  });

  it("msp logs --tail --run runs it; --run alone is a usage error", async () => {
    const bin = fakeTool("gcloud", `echo "$@" > "$(dirname "$0")/args"`);
    try {
      const r = await mspInProcess(["logs", "--tail", "--run", "usage-exporter", "prod"], undefined, {
        PATH: `${bin}:${process.env.PATH}`,
      });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(
        fs.readFileSync(path.join(bin, "args"), "utf8").trim(),
        "beta run jobs logs tail usage-exporter-prod-us-central1 --region=us-central1 --project=usage-exporter-prod-3f1c",
      );
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
    const alone = await mspInProcess(["logs", "--run", "usage-exporter", "prod"]);
    assert.equal(alone.status, 2);
    assert.match(alone.stderr, /--run goes with --tail/);
  });

  it("msp job run|pause|resume print the execution and the scheduler commands", async () => {
    const out = async (action: string) =>
      (await mspInProcess(["job", action, "usage-exporter", "prod"])).stdout;
    assert.equal(
      (await out("run")).split("\n")[1],
      "gcloud run jobs execute usage-exporter-prod-us-central1 --region=us-central1 --project=usage-exporter-prod-3f1c --wait",
    );
    assert.equal(
      (await out("pause")).split("\n")[1],
      "gcloud scheduler jobs pause usage-exporter-prod-us-central1 --location=us-central1 --project=usage-exporter-prod-3f1c",
    );
    assert.equal(
      (await out("resume")).split("\n")[1],
      "gcloud scheduler jobs resume usage-exporter-prod-us-central1 --location=us-central1 --project=usage-exporter-prod-3f1c",
    );
  });

  it("the scheduler job msp pauses is the one the stack program creates", async () => {
    const scheduler = one(await planOf("usage-exporter-prod"), "gcp:cloudscheduler/job:Job");
    const argv = scheduleCommand(
      exampleResolved("usage-exporter").environments.find((e) => e.envId === "prod")!,
      "pause",
    ).argv;
    assert.equal(argv[4], scheduler.inputs.name);
    assert.equal(argv[5], `--location=${scheduler.inputs.region as string}`);
    // Deploys keep a paused schedule paused: the program never sets `paused` (optional and computed).
    assert.equal(scheduler.inputs.paused, undefined);
  });

  it("msp job on a service, or pausing a job without a schedule, is refused with the reason", async () => {
    const r = await mspInProcess(["job", "run", "releaseregistry", "prod"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /releaseregistry-prod is a Cloud Run service, not a job/);
    const env = exampleResolved("usage-exporter").environments[0]!;
    const unscheduled = {
      ...env,
      workload: { ...env.workload, job: { ...env.workload.job!, cron: undefined } },
    };
    assert.throws(() => scheduleCommand(unscheduled, "resume"), NotAJobError);
  });

  it("msp job run --run fails with gcloud's status when the execution fails", async () => {
    const bin = fakeTool("gcloud", "exit 3");
    try {
      const r = await mspInProcess(["job", "run", "--run", "usage-exporter", "prod"], undefined, {
        PATH: `${bin}:${process.env.PATH}`,
      });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /gcloud run jobs execute usage-exporter-prod-us-central1 exited with 3/);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it("msp pg connect stops the proxy when the session times out (MSP's bounded session)", async function () {
    this.timeout(20_000);
    // `exec`: the proxy is the process msp stops, with nothing left behind.
    const bin = fakeTool("cloud-sql-proxy", "exec sleep 30");
    try {
      const started = Date.now();
      const r = await mspInProcess(
        ["pg", "connect", "--session-timeout", "1", "releaseregistry", "dev"],
        undefined,
        { PATH: `${bin}:${process.env.PATH}` },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.ok(Date.now() - started < 15_000, "the session ended on time");
      assert.match(r.stdout, /^# For security, the session ends in 1 seconds/m);
      assert.match(r.stdout, /^# The session timed out after 1 seconds: stopping the proxy\.$/m);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it("msp pg connect's session lasts 300 s unless told, and refuses a timeout that is not seconds", async () => {
    const help = await mspInProcess(["pg", "connect", "--help"]);
    assert.match(help.stdout, /--session-timeout <seconds>[\s\S]*\(default: "300"\)/);
    const bad = await mspInProcess(["pg", "connect", "--session-timeout", "5m", "releaseregistry", "dev"]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--session-timeout must be whole seconds/);
  });
});
