/**
 * A service's own resources (issue 25.5): `services/<id>/resources.ts` runs in the stack program with a read-only
 * view of the environment, its resources are children of one msp:service:ServiceResources component, and the
 * policy pack checks them like the platform's: a compliant bucket passes, a public one is a mandatory violation.
 * Through the real loader and program (in process, as the tests' tsx runs them) and through the bundled `msp`
 * on plain Node (the file is TypeScript either way).
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { loadServices } from "../../servicespec/loader";
import { findStack } from "../../program/stack";
import { runStackOffline } from "../../runner/run";
import { platformSettingsFor } from "../../program/config";
import { mandatory } from "../../policy-emulator/evaluate";
import { checkPlan } from "../../policy-emulator/offline";
import type { OfflineResult } from "../../engine/plan";
import { buildOnce, msp, REPO } from "../helpers/cli";

const SERVICES = path.join(REPO, "test", "fixtures", "service-resources", "services");
const COMPONENT = "msp:service:ServiceResources";

let chain: Promise<unknown> = Promise.resolve();
/** The offline plan of a fixture stack (runs serialised: the Pulumi runtime is global). */
function planOf(stack: string): Promise<OfflineResult> {
  const target = findStack(loadServices(SERVICES), stack);
  if (!target) throw new Error(`no fixture stack ${stack}`);
  const p = chain.then(() => runStackOffline(target, platformSettingsFor(stack, REPO), { mode: "applied" }));
  chain = p.catch(() => undefined);
  return p;
}

describe("a service's own resources (services/<id>/resources.ts)", () => {
  it("creates them under one ServiceResources component, with the environment's values", async () => {
    const plan = await planOf("ownbucket-dev");
    const bucket = plan.resources.find((r) => r.type === "gcp:storage/bucket:Bucket");
    assert.ok(bucket, "the bucket of resources.ts is in the plan");
    assert.match(bucket.urn, /::msp:service:ServiceResources\$gcp:storage\/bucket:Bucket::exports$/);
    assert.equal(bucket.inputs.project, "ownbucket-dev-a1b2");
    assert.equal(bucket.inputs.name, "ownbucket-dev-exports");
    assert.deepEqual(bucket.inputs.labels, {
      service: "ownbucket",
      environment: "dev",
      category: "test",
      msp: "true",
    });
    assert.equal(bucket.protect, true, "protected unless allowDestroys");
    const grant = plan.resources.find((r) => r.type === "gcp:storage/bucketIAMMember:BucketIAMMember");
    assert.equal(
      grant?.inputs.member,
      "serviceAccount:ownbucket-sa@ownbucket-dev-a1b2.iam.gserviceaccount.com",
    );
    assert.equal(plan.resources.filter((r) => r.type === COMPONENT).length, 1);
    assert.deepEqual(plan.outputs.serviceResources, { exportsBucket: "ownbucket-dev-exports" });
  });

  it("a compliant resource passes the pack", async () => {
    const result = checkPlan(await planOf("ownbucket-dev"), "ownbucket", "test");
    assert.deepEqual(
      mandatory(result).map((v) => `${v.policy} ${v.urn}`),
      [],
    );
  });

  it("a public bucket is a mandatory violation of the pack, at the service's resource", async () => {
    const result = checkPlan(await planOf("openbucket-dev"), "openbucket", "test");
    const found = mandatory(result).filter((v) => v.policy === "gcp-storage-bucket-private");
    assert.deepEqual([...new Set(found.map((v) => v.urn!.replace(/^.*::/, "")))].sort(), [
      "public-downloads",
      "public-downloads-readers",
    ]);
    for (const v of found) assert.match(v.urn!, /msp:service:ServiceResources\$/);
  });

  it("a resources.ts without a default function is refused, naming the file", async () => {
    await assert.rejects(
      planOf("notafunction-dev"),
      /notafunction\/resources\.ts must export a default function/,
    );
  });

  it("a resource outside the service's component is refused, naming the file and the resource", async () => {
    await assert.rejects(
      planOf("rootbucket-dev"),
      /rootbucket\/resources\.ts: gcp:storage\/bucket:Bucket "project" must be created with env\.opts/,
    );
  });

  it("a resource with aliases is refused: it could take over another resource's state", async () => {
    await assert.rejects(
      planOf("aliasbucket-dev"),
      /aliasbucket\/resources\.ts: gcp:storage\/bucket:Bucket "data" has aliases/,
    );
  });

  it("a resource in another project is refused: a service may not reach another service's project", async () => {
    await assert.rejects(
      planOf("otherproject-dev"),
      /otherproject\/resources\.ts: gcp:storage\/bucket:Bucket "data" sets project to something other than its environment's \(otherproject-dev-a1b2\)/,
    );
  });

  it("a provider of the service's own is refused: it could point resources at any project", async () => {
    await assert.rejects(
      planOf("ownprovider-dev"),
      /ownprovider\/resources\.ts: pulumi:providers:gcp "elsewhere" brings its own provider/,
    );
  });

  it("a service without resources.ts has no ServiceResources component", async () => {
    const target = findStack(
      loadServices(path.join(REPO, "test", "fixtures", "fleet", "services")),
      "pings-dev",
    );
    assert.ok(target);
    const plan = (await (chain = chain.then(() =>
      runStackOffline(target, platformSettingsFor("pings-dev", REPO), { mode: "applied" }),
    ))) as OfflineResult;
    assert.equal(plan.resources.filter((r) => r.type === COMPONENT).length, 0);
    assert.equal(plan.outputs.serviceResources, undefined);
  });

  describe("through the bundled msp (plain Node)", () => {
    before(() => buildOnce());

    it("msp preview loads resources.ts and the pack passes a compliant one (exit 0)", () => {
      const r = msp(["preview", "ownbucket-dev", "--services", SERVICES], REPO);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /msp:service:ServiceResources +service-resources/);
      assert.match(r.stdout, /gcp:storage:Bucket +exports/);
    });

    it("msp preview stops on the violating one (exit 1)", () => {
      const r = msp(["preview", "openbucket-dev", "--services", SERVICES], REPO);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stdout, /gcp-storage-bucket-private/);
    });
  });
});
