/**
 * URNs as the Pulumi engine makes them (engine/urn.ts): the parent's whole qualified type, the root stack's
 * type left out. The expected strings are written out by hand from pulumi/pulumi's NewURN and generateURN,
 * not computed, so a change of rule (for example back to the SDK mocks' `pulumi:pulumi:Stack$` form) fails.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import * as random from "@pulumi/random";
import {
  nameOfAnyUrn,
  nameOfUrn,
  newUrn,
  projectOfUrn,
  qualifiedTypeOf,
  resourceUrn,
  scopeOfAnyUrn,
  stackOfUrn,
  typeOfUrn,
  typesOfAnyUrn,
} from "../../engine/urn";
import { runProgramOffline } from "../../runner/run";
import { planOf, one } from "../helpers/stacks";

const scope = { stack: "pings-prod", project: "msp" };
const STACK = "urn:pulumi:pings-prod::msp::pulumi:pulumi:Stack::msp-pings-prod";

describe("URNs as the Pulumi engine makes them (engine/urn.ts)", () => {
  it("leaves out the root stack's type and keeps every other parent's qualified type", () => {
    assert.equal(resourceUrn(scope, "", "pulumi:pulumi:Stack", "msp-pings-prod"), STACK);
    const project = resourceUrn(scope, STACK, "msp:gcp:GcpProject", "project");
    assert.equal(project, "urn:pulumi:pings-prod::msp::msp:gcp:GcpProject::project");
    assert.equal(
      resourceUrn(scope, project, "gcp:organizations/project:Project", "project"),
      "urn:pulumi:pings-prod::msp::msp:gcp:GcpProject$gcp:organizations/project:Project::project",
    );
    const inner = resourceUrn(scope, resourceUrn(scope, STACK, "msp:a:A", "a"), "msp:b:B", "b");
    assert.equal(inner, "urn:pulumi:pings-prod::msp::msp:a:A$msp:b:B::b");
    assert.equal(
      resourceUrn(scope, inner, "gcp:storage/bucket:Bucket", "c"),
      "urn:pulumi:pings-prod::msp::msp:a:A$msp:b:B$gcp:storage/bucket:Bucket::c",
    );
    assert.equal(
      resourceUrn(scope, STACK, "pulumi:providers:gcp", "gcp"),
      "urn:pulumi:pings-prod::msp::pulumi:providers:gcp::gcp",
    );
    assert.equal(
      newUrn(scope, "", "pulumi:providers:gcp", "default_9_37_0"),
      "urn:pulumi:pings-prod::msp::pulumi:providers:gcp::default_9_37_0",
    );
    assert.equal(newUrn(scope, "pulumi:pulumi:Stack", "x:y:Z", "n"), "urn:pulumi:pings-prod::msp::x:y:Z::n");
  });

  it("reads a URN's parts as the engine does (the name is everything after the third ::)", () => {
    const urn = "urn:pulumi:s::p::msp:a:A$msp:b:B$gcp:storage/bucket:Bucket::odd::name";
    assert.equal(stackOfUrn(urn), "s");
    assert.equal(projectOfUrn(urn), "p");
    assert.equal(qualifiedTypeOf(urn), "msp:a:A$msp:b:B$gcp:storage/bucket:Bucket");
    assert.equal(typeOfUrn(urn), "gcp:storage/bucket:Bucket");
    assert.equal(nameOfUrn(urn), "odd::name");
    assert.throws(() => nameOfUrn("urn:pulumi:s::p::t"), /not a Pulumi URN/);
    assert.throws(() => typeOfUrn("arn:aws:s3:::bucket"), /not a Pulumi URN/);
  });

  it("names any string read from a file: a URN's name as the engine reads it, else the string itself", () => {
    assert.equal(nameOfAnyUrn("urn:pulumi:s::p::gcp:storage/bucket:Bucket::odd::name"), "odd::name");
    assert.equal(nameOfAnyUrn("urn:pulumi:s::p::t"), "urn:pulumi:s::p::t");
    assert.equal(nameOfAnyUrn("bucket"), "bucket");
  });

  it("reads the scope and types of any string read from a file: none when it is not a URN", () => {
    const urn = "urn:pulumi:pings-prod::msp::msp:a:A$msp:b:B$gcp:storage/bucket:Bucket::odd::name";
    assert.deepEqual(scopeOfAnyUrn(urn), { stack: "pings-prod", project: "msp" });
    assert.deepEqual(typesOfAnyUrn(urn), ["msp:a:A", "msp:b:B", "gcp:storage/bucket:Bucket"]);
    assert.deepEqual(typesOfAnyUrn("urn:pulumi:s::p::pulumi:providers:gcp::gcp"), ["pulumi:providers:gcp"]);
    assert.equal(scopeOfAnyUrn("urn:pulumi:s::p::t"), undefined);
    assert.equal(scopeOfAnyUrn("bucket"), undefined);
    assert.deepEqual(typesOfAnyUrn("arn:aws:s3:::bucket"), []);
  });

  it("are what the offline engine records for nested components, providers and their children", async () => {
    class Outer extends pulumi.ComponentResource {
      constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("msp:test:Outer", name, {}, opts);
        const inner = new Inner(`${name}-inner`, { parent: this });
        this.registerOutputs({ inner: inner.urn });
      }
    }
    class Inner extends pulumi.ComponentResource {
      constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("msp:test:Inner", name, {}, opts);
        new random.RandomId(`${name}-id`, { byteLength: 4 }, { parent: this });
        this.registerOutputs({});
      }
    }
    const plan = await runProgramOffline(
      "pings-prod",
      () => {
        const provider = new gcp.Provider("gcp", { project: "p-1", region: "us-central1" });
        new Outer("outer");
        new gcp.projects.Service("api", { service: "run.googleapis.com" }, { provider });
        return {};
      },
      {},
      "applied",
    );
    assert.deepEqual(plan.resources.map((r) => r.urn).sort(), [
      "urn:pulumi:pings-prod::msp::gcp:projects/service:Service::api",
      "urn:pulumi:pings-prod::msp::msp:test:Outer$msp:test:Inner$random:index/randomId:RandomId::outer-inner-id",
      "urn:pulumi:pings-prod::msp::msp:test:Outer$msp:test:Inner::outer-inner",
      "urn:pulumi:pings-prod::msp::msp:test:Outer::outer",
      "urn:pulumi:pings-prod::msp::pulumi:providers:gcp::gcp",
      STACK,
    ]);
    const api = plan.resources.find((r) => r.name === "api")!;
    assert.match(api.provider!, /^urn:pulumi:pings-prod::msp::pulumi:providers:gcp::gcp::[0-9a-f-]+$/);
    assert.equal(api.parent, STACK);
  });

  it("are the engine's in the example stacks' plans", async () => {
    const plan = await planOf("pings-prod");
    const sql = one(plan, "gcp:redis/instance:Instance");
    assert.equal(
      sql.urn,
      "urn:pulumi:pings-prod::msp::msp:gcp:RedisInstance$gcp:redis/instance:Instance::redis-instance",
    );
    assert.equal(sql.parent, "urn:pulumi:pings-prod::msp::msp:gcp:RedisInstance::redis");
    assert.equal(
      plan.resources.filter((r) => r.urn.includes("pulumi:pulumi:Stack$")).length,
      0,
      "no URN carries the root stack's type",
    );
  });
});
