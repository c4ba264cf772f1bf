import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { planOf, get, one, ofType, exampleServices } from "../helpers/stacks";
import { findStack } from "../../program/stack";
import { platformSettingsFor } from "../../program/config";
import { runStackOffline } from "../../runner/run";
import { stackExportJson, toStackExport } from "../../engine/export";
import { SIG_KEY, SECRET_SIG } from "../../engine/redact";
import { msp, mspInProcess, REPO } from "../helpers/cli";
import { renderTree, renderSummary, displayType, renderOutputs, renderDetails } from "../../engine/render";
import { UNKNOWN } from "../../engine/cloud-model";

describe("offline engine", () => {
  it("records every resource with URN, type, parent, provider, inputs, outputs, dependencies and options", async () => {
    const plan = await planOf("releaseregistry-prod");
    const stack = one(plan, "pulumi:pulumi:Stack");
    assert.equal(
      stack.urn,
      "urn:pulumi:releaseregistry-prod::msp::pulumi:pulumi:Stack::msp-releaseregistry-prod",
    );
    const sql = one(plan, "gcp:sql/databaseInstance:DatabaseInstance");
    assert.equal(sql.custom, true);
    assert.equal(sql.parent, "urn:pulumi:releaseregistry-prod::msp::msp:gcp:PostgresInstance::postgres");
    assert.match(
      sql.provider!,
      /^urn:pulumi:releaseregistry-prod::msp::pulumi:providers:gcp::gcp::[0-9a-f-]+$/,
    );
    assert.equal(
      sql.outputs.connectionName,
      "releaseregistry-prod-5421:us-central1:" + String(sql.inputs.name),
    );
    assert.equal(sql.protect, true);
    assert.deepEqual(sql.ignoreChanges, ["settings.diskSize"]);
    assert.ok(
      sql.dependencies.some((d) => d.includes("servicenetworking/connection:Connection")),
      "waits for the peering",
    );
    assert.ok(sql.propertyDependencies["settings"]?.some((d) => d.includes("compute/network:Network")));
    const component = plan.resources.find((r) => r.type === "msp:gcp:PostgresInstance")!;
    assert.equal(component.custom, false);
  });

  it("runs applies with realistic outputs (connection names, addresses, Redis host and port, URLs)", async () => {
    const plan = await planOf("pings-prod");
    const redis = one(plan, "gcp:redis/instance:Instance");
    assert.match(String(redis.outputs.host), /^10\.\d+\.\d+\.\d+$/);
    assert.equal(redis.outputs.port, 6378);
    assert.match(String(plan.outputs.url), /^https:\/\/pings\.sourcegraph\.com$/);
    assert.match(String(plan.outputs.loadBalancerIp), /^34\./);
    const cert = plan.resources.find((r) => r.type === "gcp:compute/sSLCertificate:SSLCertificate")!;
    const proxy = one(plan, "gcp:compute/targetHttpsProxy:TargetHttpsProxy");
    assert.deepEqual(proxy.inputs.sslCertificates, [cert.id], "the proxy uses the certificate's real ID");
  });

  it("keeps secrets redacted in inputs and outputs", async () => {
    const plan = await planOf("accounts-prod");
    const text = JSON.stringify(plan);
    assert.doesNotMatch(text, /offline-auth-/, "Redis AUTH string never appears");
    assert.doesNotMatch(text, /offline-placeholder-for-/, "secret data never appears");
    const password = ofType(plan, "random:index/randomPassword:RandomPassword").find(
      (r) => r.name === "postgres-admin-password",
    )!;
    assert.deepEqual(password.outputs.result, { [SIG_KEY]: SECRET_SIG, ciphertext: "[secret]" });
    const endpoint = plan.resources.find(
      (r) => r.type === "gcp:secretmanager/secretVersion:SecretVersion" && r.name.includes("endpoint"),
    )!;
    assert.deepEqual(endpoint.inputs.secretData, { [SIG_KEY]: SECRET_SIG, ciphertext: "[secret]" });
  });

  it("writes a pulumi stack export document", async () => {
    const plan = await planOf("releaseregistry-prod");
    const doc = toStackExport(plan, "3.0.0");
    assert.equal(doc.version, 3);
    assert.equal(doc.deployment.resources.length, plan.resources.length);
    const first = doc.deployment.resources[0]!;
    assert.equal(first.type, "pulumi:pulumi:Stack");
    const sql = doc.deployment.resources.find((r) => r.type === "gcp:sql/databaseInstance:DatabaseInstance")!;
    assert.equal(sql.protect, true);
    assert.equal(get(sql, "inputs.settings.backupConfiguration.enabled"), true);
    assert.ok(sql.id && sql.parent && sql.provider && sql.dependencies);
  });

  it("renders a tree with component nesting and a summary by type", async () => {
    const plan = await planOf("releaseregistry-prod");
    const tree = renderTree("releaseregistry-prod", plan.resources);
    assert.match(tree, /^ \+  ├─ msp:gcp:PostgresInstance\s+postgres\s+create$/m);
    assert.match(tree, /^ \+  │  ├─ gcp:sql:DatabaseInstance\s+postgres-instance\s+create \(protected\)$/m);
    // The counts are the plan's (how many resources the program makes is the program tests' business).
    const summary = renderSummary(plan.resources);
    const protectedCount = plan.resources.filter((r) => r.protect).length;
    assert.ok(plan.resources.length > 90 && protectedCount > 0);
    assert.match(
      summary,
      new RegExp(`\\+ ${plan.resources.length} to create \\(${protectedCount} protected from deletion\\)`),
    );
    assert.match(summary, /^ {4}gcp:sql:DatabaseInstance\s+1$/m);
    const gcpProviders = plan.resources.filter((r) => r.type === "pulumi:providers:gcp").length;
    assert.match(summary, new RegExp(`^ {4}pulumi:providers:gcp\\s+${gcpProviders}$`, "m"));
    assert.equal(displayType("gcp:sql/databaseInstance:DatabaseInstance"), "gcp:sql:DatabaseInstance");
  });

  it("is deterministic: two CLI runs give byte-identical JSON", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-det-"));
    const a = path.join(dir, "a.json");
    const b = path.join(dir, "b.json");
    // Two processes (the bundle in a child, the sources in this one): nothing may depend on the process.
    assert.equal(msp(["preview", "pings-prod", "--json", a]).status, 0);
    assert.equal((await mspInProcess(["preview", "pings-prod", "--json", b])).status, 0);
    assert.equal(fs.readFileSync(a, "utf8"), fs.readFileSync(b, "utf8"));
    assert.ok(fs.statSync(a).size > 10000);
    const exported = JSON.parse(fs.readFileSync(a, "utf8")) as { deployment: { resources: unknown[] } };
    assert.ok(exported.deployment.resources.length > 50);
  });

  it("serialises plans to JSON deterministically in-process too: two program runs, the same bytes", async () => {
    // Two independent runs of the program (not the cached plan): modelled IDs, generated values and ordering
    // must not depend on timing or on what ran before.
    const target = findStack(exampleServices(), "cody-analytics-prod")!;
    const settings = platformSettingsFor("cody-analytics-prod", REPO);
    const first = await runStackOffline(target, settings);
    const second = await runStackOffline(target, settings);
    assert.ok(first.resources.length > 50);
    assert.equal(stackExportJson(first, "1"), stackExportJson(second, "1"));
  });
});

describe("values known only after apply", () => {
  it("are unknown in the preview and modelled after apply; inputs the program sets stay known", async () => {
    const preview = await planOf("pings-prod", "preview");
    const applied = await planOf("pings-prod");
    assert.equal(preview.mode, "preview");
    assert.equal(preview.outputs.loadBalancerIp, UNKNOWN, "a load balancer IP is assigned on create");
    assert.match(String(applied.outputs.loadBalancerIp), /^34\.\d+\.\d+\.\d+$/);
    assert.equal(preview.outputs.dashboard, UNKNOWN, "the dashboard ID is assigned on create");
    assert.equal(preview.outputs.url, "https://pings.sourcegraph.com", "the URL comes from the spec");
    assert.equal(preview.outputs.projectId, applied.outputs.projectId);
    const project = one(preview, "gcp:organizations/project:Project");
    assert.equal(project.outputs.number, UNKNOWN, "the project number is assigned on create");
    assert.equal(project.id, undefined, "IDs are unknown before create");
    assert.equal(project.inputs.projectId, "pings-prod-2f4f73edf1db");
    const proxy = one(preview, "gcp:compute/targetHttpsProxy:TargetHttpsProxy");
    assert.deepEqual(proxy.inputs.sslCertificates, [UNKNOWN], "an input made from an unknown is unknown");
    assert.equal(
      proxy.inputs.name,
      one(applied, "gcp:compute/targetHttpsProxy:TargetHttpsProxy").inputs.name,
    );
  });

  it("leave the resources, parents, dependencies and options of the plan unchanged", async () => {
    for (const stack of ["pings-prod", "usage-exporter-prod"]) {
      const shape = (r: (typeof applied.resources)[number]) => ({
        urn: r.urn,
        parent: r.parent,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        protect: r.protect,
        ignoreChanges: r.ignoreChanges,
        deleteBeforeReplace: r.deleteBeforeReplace,
      });
      const applied = await planOf(stack);
      const preview = await planOf(stack, "preview");
      const byUrn = (a: { urn: string }, b: { urn: string }) => a.urn.localeCompare(b.urn);
      assert.deepEqual(
        preview.resources.map(shape).sort(byUrn),
        applied.resources.map(shape).sort(byUrn),
        stack,
      );
    }
  });

  it("are shown as Pulumi shows them, output<string>, in the outputs and the --diff details", async () => {
    const preview = await planOf("pings-prod", "preview");
    const text = renderOutputs(preview.outputs);
    assert.match(text, /^ {4}loadBalancerIp\s*: output<string>$/m);
    assert.match(text, /^ {4}url\s*: "https:\/\/pings\.sourcegraph\.com"$/m);
    assert.doesNotMatch(text, /04da6b54/);
    const details = renderDetails(preview.resources);
    assert.match(
      details,
      /gcp:compute:GlobalForwardingRule: \(create\)\n.*\n(?: {6}.*\n)*? {6}ipAddress\s*: output<string>/,
    );
    assert.match(renderOutputs((await planOf("pings-prod")).outputs), /^ {4}loadBalancerIp\s*: "34\./m);
  });

  it("are Pulumi's unknown sentinel in the preview export, with no IDs; the applied export has both", async () => {
    const preview = toStackExport(await planOf("pings-prod", "preview"), "3.0.0");
    const applied = toStackExport(await planOf("pings-prod"), "3.0.0");
    assert.equal(preview.deployment.manifest.magic, "msp-offline-preview");
    assert.equal(applied.deployment.manifest.magic, "msp-offline-applied");
    const address = (doc: typeof preview) =>
      doc.deployment.resources.find(
        (r) => r.type === "gcp:compute/globalAddress:GlobalAddress" && r.urn.includes("domain"),
      )!;
    assert.equal(address(preview).id, undefined);
    assert.equal(address(preview).outputs?.address, UNKNOWN);
    assert.match(String(address(applied).id), /^projects\/pings-prod-2f4f73edf1db\/global\/addresses\//);
    assert.match(String(address(applied).outputs?.address), /^34\./);
  });
});

// In-process (mspInProcess): the command's output is the subject; test/cli/in-process.e2e.test.ts checks a preview
// gives the same bytes through the bundle. --all stays a spawned process: its worker threads load the bundle.
describe("msp preview", () => {
  it("prints the plan and exits 0", async () => {
    const r = await mspInProcess(["preview", "releaseregistry-prod"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Previewing update \(releaseregistry-prod\) offline/);
    assert.match(r.stdout, /msp:monitoring:AlertPolicies/);
  });

  it("exits 2 and lists the stacks for an unknown stack", async () => {
    const r = await mspInProcess(["preview", "nope-prod"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown stack "nope-prod"; stacks: accounts-prod, .*releaseregistry-prod/);
  });

  it("surfaces a spec error as file:line:col, not a stack trace", async () => {
    const r = await mspInProcess([
      "preview",
      "demo-prod",
      "--services",
      "test/fixtures/invalid/cpu-too-high",
    ]);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /service\.yaml:25:14: environments\[0\]\.instances\.resources\.cpu: must be at most 8/,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it("previews every stack of a services folder with --all", () => {
    // The fleet mechanics need a few stacks, not all eight (each example stack is previewed elsewhere, e.g.
    // test/program/entry-differential.e2e.test.ts): two services, four stacks.
    const services = fs.mkdtempSync(path.join(os.tmpdir(), "msp-fleet-"));
    try {
      for (const id of ["pings", "releaseregistry"])
        fs.cpSync(path.join(REPO, "services", id), path.join(services, id), { recursive: true });
      // Workers that never exit would keep the process alive: the timeout makes that a failure, not a hang.
      const r = msp(["preview", "--all", "--services", services], REPO, {}, 60_000);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /4 stacks in .* 0 failed/);
      for (const stack of ["pings-dev", "pings-prod", "releaseregistry-dev", "releaseregistry-prod"])
        assert.match(r.stdout, new RegExp(`^ok +${stack} \\(\\d+ resources`, "m"), stack);
    } finally {
      fs.rmSync(services, { recursive: true, force: true });
    }
  });

  it("--all with an invalid spec: its errors, exit 1, and the workers started meanwhile are stopped", () => {
    const services = fs.mkdtempSync(path.join(os.tmpdir(), "msp-fleet-"));
    try {
      fs.cpSync(path.join(REPO, "services", "pings"), path.join(services, "pings"), { recursive: true });
      const spec = path.join(services, "pings", "service.yaml");
      fs.writeFileSync(spec, fs.readFileSync(spec, "utf8").replace(/^service:\n/m, "service:\n  bogus: 1\n"));
      // A worker left running would keep the process alive: the timeout makes that a failure, not a hang.
      const r = msp(["preview", "--all", "--services", services], REPO, {}, 60_000);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /service\.yaml:\d+:\d+: service\.bogus: unknown field "bogus"/);
      assert.doesNotMatch(r.stdout, /stacks in/);
    } finally {
      fs.rmSync(services, { recursive: true, force: true });
    }
  });
});
