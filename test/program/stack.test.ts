import * as assert from "node:assert/strict";
import { exampleServices, exampleStacks, planOf, ofType } from "../helpers/stacks";
import { findStack } from "../../program/stack";
import type { RecordedResource } from "../../engine/plan";

/** Resource kinds each environment must have, from its spec. */
function expectedKinds(stack: string): string[] {
  const { service, env } = findStack(exampleServices(), stack)!;
  const kinds = [
    "gcp:organizations/project:Project",
    "gcp:projects/service:Service",
    "gcp:serviceaccount/account:Account",
    "gcp:projects/iAMMember:IAMMember",
    "gcp:secretmanager/secret:Secret",
    "gcp:monitoring/alertPolicy:AlertPolicy",
    "gcp:monitoring/notificationChannel:NotificationChannel",
    "gcp:monitoring/dashboard:Dashboard",
  ];
  kinds.push(
    service.spec.service.kind === "job" ? "gcp:cloudrunv2/job:Job" : "gcp:cloudrunv2/service:Service",
  );
  if (env.schedule) kinds.push("gcp:cloudscheduler/job:Job");
  if (env.resources?.postgreSQL)
    kinds.push(
      "gcp:sql/databaseInstance:DatabaseInstance",
      "gcp:sql/database:Database",
      "gcp:compute/network:Network",
    );
  if (env.resources?.redis) kinds.push("gcp:redis/instance:Instance");
  if (env.resources?.bigQueryDataset) kinds.push("gcp:bigquery/dataset:Dataset", "gcp:bigquery/table:Table");
  if (env.domain?.cloudflare)
    kinds.push(
      "cloudflare:index/dnsRecord:DnsRecord",
      "gcp:compute/globalForwardingRule:GlobalForwardingRule",
      "gcp:compute/sSLPolicy:SSLPolicy",
    );
  if (service.spec.rollout?.stages.at(-1)?.environment === env.id)
    kinds.push("gcp:clouddeploy/deliveryPipeline:DeliveryPipeline");
  return kinds;
}

function ancestors(r: RecordedResource, byUrn: Map<string, RecordedResource>): RecordedResource[] {
  const out: RecordedResource[] = [];
  for (let p = r.parent && byUrn.get(r.parent); p; p = p.parent ? byUrn.get(p.parent) : undefined)
    out.push(p);
  return out;
}

describe("stack program", () => {
  it("has a stack file for every environment of every example service", () => {
    const fs = require("node:fs") as typeof import("node:fs");
    for (const s of exampleStacks())
      assert.ok(fs.existsSync(`stacks/Pulumi.${s}.yaml`), `stacks/Pulumi.${s}.yaml`);
  });

  for (const stack of exampleStacks()) {
    it(`${stack}: creates the expected resource kinds, all inside msp components`, async () => {
      const plan = await planOf(stack);
      const types = new Set(plan.resources.map((r) => r.type));
      for (const kind of expectedKinds(stack)) assert.ok(types.has(kind), `${stack} lacks ${kind}`);
      const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
      for (const r of plan.resources) {
        if (!/^(gcp|cloudflare|random):/.test(r.type)) continue;
        assert.ok(
          ancestors(r, byUrn).some((a) => a.type.startsWith("msp:")),
          `${r.type} ${r.name} is not inside an msp:* component`,
        );
      }
      assert.equal(
        ofType(plan, "gcp:cloudrunv2/service:Service").length + ofType(plan, "gcp:cloudrunv2/job:Job").length,
        1,
      );
    });
  }

  it("exports the useful outputs", async () => {
    const plan = await planOf("accounts-prod");
    assert.equal(plan.outputs.projectId, "accounts-prod-csvc");
    assert.equal(plan.outputs.url, "https://accounts.sourcegraph.com");
    assert.match(
      String(plan.outputs.sqlConnectionName),
      /^accounts-prod-csvc:us-west1:postgresql-[0-9a-f]{4}$/,
    );
    assert.match(String(plan.outputs.redisHost), /^10\./);
    assert.match(
      String(plan.outputs.dashboard),
      /^https:\/\/console\.cloud\.google\.com\/monitoring\/dashboards\/builder\//,
    );
  });
});
