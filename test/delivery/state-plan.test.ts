import * as assert from "node:assert/strict";
import { checkState, NotAStateError, priorState } from "../../delivery/state-plan";
import type { ExportedResource, StackExport } from "../../engine/export";
import { SIG_KEY, SECRET_SIG } from "../../engine/redact";
import { exampleServices, planOf } from "../helpers/stacks";
import { changesOf, planAgainst, stateOf } from "../helpers/idempotence";
import { findStack } from "../../program/stack";
import { platformSettingsFor } from "../../program/config";
import { REPO } from "../helpers/cli";

const P = "urn:pulumi:s-prod::msp::";
const exportOf = (resources: ExportedResource[], magic = "msp-offline-applied"): StackExport => ({
  version: 3,
  deployment: {
    manifest: { time: "", magic, version: "" },
    secrets_providers: { type: "service", state: {} },
    resources,
  },
});
const res = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  more: Partial<ExportedResource> = {},
) => ({
  urn: `${P}${type}::${name}`,
  custom: true,
  type,
  inputs,
  outputs: { ...inputs },
  ...more,
});

describe("plans against a deployed state (delivery/state-plan.ts)", () => {
  it("decides same, update, replace (stateful types, by msp diff's table) and create", () => {
    const db = res("gcp:sql/database:Database", "db", { name: "a", instance: "i" });
    const sa = res("gcp:serviceaccount/account:Account", "sa", { accountId: "x", displayName: "X" });
    const prior = priorState(exportOf([db, sa]));
    assert.equal(prior.step({ ...db }).step.op, "same");
    const renamed = prior.step({ ...sa, inputs: { accountId: "y", displayName: "Y" } }).step;
    assert.equal(renamed.op, "replace");
    assert.deepEqual(renamed.fields, ["accountId"]);
    assert.deepEqual(renamed.values, { accountId: ["x", "y"] });
    const fresh = priorState(exportOf([db]));
    assert.deepEqual(fresh.step({ ...db, inputs: { name: "a", instance: "i", charset: "UTF8" } }).step, {
      op: "update",
      fields: ["charset"],
      values: { charset: [undefined, "UTF8"] },
    });
    assert.equal(fresh.step(res("gcp:sql/user:User", "u", {})).step.op, "create");
  });

  it("compares the inputs with what the API stored (the state's outputs), as the provider does", () => {
    const stored = res("gcp:monitoring/dashboard:Dashboard", "d", {
      dashboardJson: JSON.stringify({ tiles: [{ xPos: 0 }] }),
    });
    stored.outputs = { dashboardJson: JSON.stringify({ tiles: [{}], name: "n", etag: "e" }) };
    const planned = (json: unknown) => ({ ...stored, inputs: { dashboardJson: JSON.stringify(json) } });
    assert.equal(priorState(exportOf([stored])).step(planned({ tiles: [{ xPos: 0 }] })).step.op, "update");
    assert.equal(priorState(exportOf([stored])).step(planned({ tiles: [{}] })).step.op, "same");
  });

  it("finds a resource by its alias; deletes what no registration is, but not the engine's default providers", () => {
    const old = res("gcp:pubsub/topic:Topic", "t", { name: "t" });
    const gone = res("gcp:pubsub/topic:Topic", "gone", { name: "g" });
    const provider = {
      urn: `${P}pulumi:providers:gcp::default_9_37_0`,
      custom: true,
      type: "pulumi:providers:gcp",
    };
    const prior = priorState(exportOf([old, gone, provider]));
    const moved = { ...old, urn: `${P}msp:x:Y$gcp:pubsub/topic:Topic::t`, aliases: [old.urn] };
    assert.equal(prior.step(moved).step.op, "same");
    assert.deepEqual(
      prior.deleted().map((r) => r.urn),
      [gone.urn],
    );
  });

  it("reads a real CLI's state: bridge bookkeeping, defaulted inputs and encrypted secrets are not changes", () => {
    const secret = { [SIG_KEY]: SECRET_SIG, ciphertext: "v1:AAAA" };
    const real = res("random:index/randomPassword:RandomPassword", "pw", {
      __defaults: ["name"],
      name: "pw-1a2b3c4",
      length: 32,
    });
    real.outputs = { __meta: "{}", length: 32, result: secret, name: "pw-1a2b3c4" };
    const planned = { ...real, inputs: { length: 32 } };
    assert.equal(priorState(exportOf([real])).step(planned).step.op, "same");
    const secretInput = res("gcp:secretmanager/secretVersion:SecretVersion", "v", { secretData: secret });
    const ours = { [SIG_KEY]: SECRET_SIG, ciphertext: "[secret]" };
    assert.equal(
      priorState(exportOf([secretInput])).step({ ...secretInput, inputs: { secretData: ours } }).step.op,
      "same",
    );
  });

  it("refuses a preview export and another stack's state", () => {
    const stack = {
      urn: "urn:pulumi:s-prod::msp::pulumi:pulumi:Stack::msp-s-prod",
      custom: false,
      type: "pulumi:pulumi:Stack",
    };
    assert.doesNotThrow(() => checkState(exportOf([stack]), "s-prod"));
    assert.throws(() => checkState(exportOf([stack]), "s-dev"), /state of stack s-prod, not s-dev/);
    assert.throws(() => checkState(exportOf([stack], "msp-offline-preview"), "s-prod"), NotAStateError);
  });

  it("an example stack against an edited state: each kind of step, found where pulumi preview finds it", async () => {
    const stack = "releaseregistry-prod";
    const state = stateOf(await planOf(stack));
    const all = state.deployment.resources;
    const find = (type: string) => all.find((r) => r.type === type)!;
    const sql = find("gcp:sql/databaseInstance:DatabaseInstance");
    (sql.outputs!.settings as Record<string, unknown>).tier = "db-custom-2-7680";
    const db = find("gcp:sql/database:Database");
    db.outputs!.name = db.inputs!.name = "old";
    const uptime = find("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig");
    all.splice(all.indexOf(uptime), 1);
    const extra = {
      ...find("gcp:projects/service:Service"),
      urn: `${find("gcp:projects/service:Service").urn}-gone`,
    };
    all.push(extra);
    const target = findStack(exampleServices(), stack)!;
    const plan = await planAgainst(target, platformSettingsFor(stack, REPO), state, "preview");
    const changes = changesOf(plan);
    assert.ok(
      changes.includes("update gcp:sql/databaseInstance:DatabaseInstance postgres-instance settings"),
      changes.join("\n"),
    );
    assert.ok(
      changes.some((c) => /^replace gcp:sql\/database:Database \S+ name$/.test(c)),
      changes.join("\n"),
    );
    assert.ok(changes.includes(`create ${uptime.type} monitoring-uptime`), changes.join("\n"));
    assert.ok(changes.includes(`delete ${extra.type} ${extra.urn}`), changes.join("\n"));
    // A kept resource keeps the state's ID and computed values, also in the preview.
    const kept = plan.resources.find((r) => r.type === "gcp:sql/databaseInstance:DatabaseInstance")!;
    assert.equal(kept.outputs.connectionName, sql.outputs!.connectionName);
  });
});
