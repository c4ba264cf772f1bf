/**
 * The rollback of an environment per deploy type (delivery/rollback.ts): what `--to` means, the revision picked
 * from what gcloud reports, the commands, and what makes the rollback last. On the tests' own fleet.
 */
import * as assert from "node:assert/strict";
import { resolveService } from "../../resolve/environment";
import type { ResolvedService } from "../../resolve/model";
import { platformSettingsFor } from "../../program/config";
import { fleetServices } from "../helpers/stacks";
import { REPO as REPO_ROOT } from "../helpers/cli";
import {
  isRevisionOf,
  previousRevision,
  REVISION_PLACEHOLDER,
  RollbackError,
  rollbackLines,
  rollbackPlan,
  rollbackTarget,
  tagOfImage,
  type RevisionJson,
} from "../../delivery/rollback";

const resolved = (id: string): ResolvedService =>
  resolveService(
    fleetServices().find((s) => s.spec.service.id === id)!,
    platformSettingsFor("", REPO_ROOT),
  );
const envOf = (id: string, env: string) => {
  const s = resolved(id);
  return { s, env: s.environments.find((e) => e.envId === env)! };
};
const place = { where: "services/x/service.yaml:22:14", field: "environments[0].deploy.manual.tag" };
const commands = (lines: string[]) => lines.filter((l) => !l.startsWith("#"));

const revision = (name: string, at: string, ready = true, image = `img:${name}`): RevisionJson => ({
  metadata: { name, creationTimestamp: at },
  status: { conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
  spec: { containers: [{ image }] },
});

describe("rollback", () => {
  it("reads --to as a revision of the service, an image tag, or a release for rollouts", () => {
    const { env } = envOf("releaseregistry", "prod");
    const name = env.workload.cloudRunName;
    assert.deepEqual(rollbackTarget(env, undefined), { kind: "previous" });
    assert.deepEqual(rollbackTarget(env, `${name}-00012-xyz`), {
      kind: "revision",
      name: `${name}-00012-xyz`,
    });
    assert.deepEqual(rollbackTarget(env, "v0.4.1"), { kind: "tag", tag: "v0.4.1" });
    // A name that only looks like a revision (4 digits, another service) is not one of this service.s.
    assert.equal(isRevisionOf(name, `${name}-0001-xyz`), false);
    assert.equal(isRevisionOf(name, `other-00001-xyz`), false);
    assert.throws(() => rollbackTarget(env, "bad tag"), RollbackError);
    const pings = envOf("pings", "prod").env;
    assert.deepEqual(rollbackTarget(pings, "pings-v1-20260101"), {
      kind: "release",
      name: "pings-v1-20260101",
    });
    assert.throws(
      () => rollbackTarget(pings, "v1.2.3"),
      /release of its pipeline.*msp release create pings --tag/,
    );
    const job = envOf("usage-exporter", "prod").env;
    assert.throws(() => rollbackTarget(job, undefined), /is a job.*--to <tag>/);
    assert.deepEqual(rollbackTarget(job, "main-1"), { kind: "tag", tag: "main-1" });
  });

  it("picks the newest ready revision older than the newest one serving", () => {
    const revs = [
      revision("s-00005-aaa", "2026-01-05T00:00:00Z", false), // failed after the bad one: never served
      revision("s-00004-bbb", "2026-01-04T00:00:00Z"), // serving, bad
      revision("s-00003-ccc", "2026-01-03T00:00:00Z", false), // never became ready
      revision("s-00002-ddd", "2026-01-02T00:00:00Z"), // the one to go back to
      revision("s-00001-eee", "2026-01-01T00:00:00Z"),
    ];
    const service = { status: { traffic: [{ revisionName: "s-00004-bbb", percent: 100 }] } };
    // Order of the list does not matter: gcloud's sort is asked for, not relied upon.
    assert.equal(previousRevision(service, [...revs].reverse())?.metadata?.name, "s-00002-ddd");
    // A split (a canary): older than the newest serving one, and not serving itself.
    const split = {
      status: {
        traffic: [
          { revisionName: "s-00004-bbb", percent: 10 },
          { revisionName: "s-00002-ddd", percent: 90 },
        ],
      },
    };
    assert.equal(previousRevision(split, revs)?.metadata?.name, "s-00001-eee");
    assert.equal(previousRevision({ status: { traffic: [] } }, revs), undefined);
    assert.equal(
      previousRevision({ status: { traffic: [{ revisionName: "s-00001-eee", percent: 100 }] } }, revs),
      undefined,
    );
  });

  it("manual service: traffic to the revision at once, then the tag to commit at the spec's line", () => {
    const { s, env } = envOf("releaseregistry", "prod");
    const lines = rollbackLines(rollbackPlan(s, env, { kind: "previous" }, place));
    const [list, traffic] = commands(lines);
    assert.match(
      list!,
      /^gcloud run revisions list --service=releaseregistry-prod-us-central1 --region=us-central1 --project=releaseregistry-prod-5421 /,
    );
    assert.equal(
      traffic,
      `gcloud run services update-traffic releaseregistry-prod-us-central1 --to-revisions=${REVISION_PLACEHOLDER}=100 --region=us-central1 --project=releaseregistry-prod-5421`,
    );
    const found = rollbackLines(
      rollbackPlan(s, env, { kind: "revision", name: "releaseregistry-prod-us-central1-00002-ddd" }, place, {
        image: `${env.workload.imageRepository}:v0.4.1`,
      }),
    );
    assert.equal(commands(found).length, 1);
    assert.ok(
      found.includes(
        "# Make it last: set environments[0].deploy.manual.tag to v0.4.1 (services/x/service.yaml:22:14, now v0.4.2),",
      ),
      found.join("\n"),
    );
    assert.ok(found.some((l) => /pulumi up.*pins 100% to LATEST/.test(l)));
  });

  it("manual service to a tag: a new revision of it and traffic to the latest, as the program sets it", () => {
    const { s, env } = envOf("releaseregistry", "prod");
    const cmds = commands(rollbackLines(rollbackPlan(s, env, { kind: "tag", tag: "v0.4.1" }, place)));
    assert.deepEqual(cmds, [
      "gcloud run services update releaseregistry-prod-us-central1 --image=us.gcr.io/sourcegraph-dev/releaseregistry:v0.4.1 --region=us-central1 --project=releaseregistry-prod-5421 --quiet",
      "gcloud run services update-traffic releaseregistry-prod-us-central1 --to-latest --region=us-central1 --project=releaseregistry-prod-5421",
    ]);
  });

  it("rollout: Cloud Deploy's target rollback, nothing to commit", () => {
    const { s, env } = envOf("pings", "dev");
    const lines = rollbackLines(rollbackPlan(s, env, { kind: "release", name: "pings-v1" }, place));
    assert.deepEqual(commands(lines), [
      "gcloud deploy targets rollback dev-us-central1 --delivery-pipeline=pings-us-central1-rollout --project=pings-prod-2f4f73edf1db --region=us-central1 --release=pings-v1",
    ]);
    assert.ok(
      lines.some((l) => /Nothing to commit: Pulumi leaves a rollout's image to Cloud Deploy/.test(l)),
    );
  });

  it("subscription job: the job's image, then the followed tag moved back (or the pin)", () => {
    const { s, env } = envOf("usage-exporter", "prod");
    const repo = env.workload.imageRepository;
    const lines = rollbackLines(
      rollbackPlan(
        s,
        env,
        { kind: "tag", tag: "main-1" },
        { where: "f:26:5", field: "environments[0].deploy" },
      ),
    );
    assert.deepEqual(commands(lines), [
      `gcloud run jobs update usage-exporter-prod-us-central1 --image=${repo}:main-1 --region=us-central1 --project=usage-exporter-prod-3f1c --quiet`,
      `gcloud artifacts docker tags add ${repo}:main-1 ${repo}:main`,
    ]);
    assert.ok(
      lines.some((l) => /pin the environment instead: set environments\[0\]\.deploy to type manual/.test(l)),
    );
    assert.throws(() => rollbackPlan(s, env, { kind: "previous" }, place), /is a job/);
  });

  it("reads the tag of an image of the service's repository only", () => {
    assert.equal(tagOfImage("us.gcr.io/a/b", "us.gcr.io/a/b:v1.2"), "v1.2");
    assert.equal(tagOfImage("us.gcr.io/a/b", "us.gcr.io/a/b@sha256:00"), undefined);
    assert.equal(tagOfImage("us.gcr.io/a/b", "us.gcr.io/a/bc:v1"), undefined);
  });

  it("quotes every value from the spec in the commands and comments it prints", () => {
    const { s, env } = envOf("releaseregistry", "prod");
    const hostile = { where: "services/x/service.yaml\n$(touch /tmp/pwned)", field: place.field };
    const lines = rollbackLines(rollbackPlan(s, env, { kind: "previous" }, hostile));
    for (const l of lines) assert.doesNotMatch(l, /\n/);
    assert.ok(
      lines.some((l) => l.includes("$'services/x/service.yaml\\n$(touch /tmp/pwned)'")),
      lines.join("\n"),
    );
  });
});
