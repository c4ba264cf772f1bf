/**
 * msp init and init-env: the spec and stack files written, validated and previewed.
 * Runner: in-process (mspInProcess): the subject is what the commands write and print, previews included
 * (the SDKs load once per file instead of once per preview); test/cli/in-process.e2e.test.ts runs the same
 * commands through the bundle (bin/msp.js) and checks both agree byte for byte.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { mspInProcess, REPO } from "../helpers/cli";
import { categoryFromEnvironmentName, defaultDomain, parseDomainFlag } from "../../cli/commands/init";

interface Env {
  id: string;
  category: string;
  domain?: { cloudflare: { subdomain: string; zone: string } };
  resources?: { postgreSQL?: { databases: string[] } };
  schedule?: { cron: string };
}

const roots: string[] = [];
after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

/** A services folder in a temporary directory: init writes stacks/ beside it, never into the repository. */
function workspace() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-init-"));
  roots.push(root);
  const services = path.join(root, "services");
  fs.mkdirSync(services);
  const run = (...args: string[]) => mspInProcess([...args, "--services", services]);
  const spec = (svc: string) => fs.readFileSync(path.join(services, svc, "service.yaml"), "utf8");
  const env = (svc: string, id: string) =>
    (parse(spec(svc)) as { environments: Env[] }).environments.find((e) => e.id === id)!;
  return { root, services, run, spec, env };
}

describe("msp init and init-env", function () {
  this.timeout(60_000); // each test runs the real command several times, previews included
  const repoStacks = () => fs.readdirSync(path.join(REPO, "stacks")).sort();
  let before: string[];
  beforeEach(() => (before = repoStacks()));
  afterEach(() => assert.deepEqual(repoStacks(), before, "nothing written into the repository's stacks/"));

  it("init --category internal --database postgres writes a spec that validates and previews", async () => {
    const w = workspace();
    const r = await w.run(
      "init",
      "demo",
      "--category",
      "internal",
      "--database",
      "postgres",
      "--tag",
      "3.1.0",
      "--notion-page",
      "0a1b2c3d4e5f",
    );
    assert.equal(r.status, 0, r.stderr);
    const dev = w.env("demo", "dev");
    assert.equal(dev.category, "internal");
    assert.match(w.spec("demo"), /\n  notionPageID: 0a1b2c3d4e5f\n/, "MSP's rule for production");
    assert.deepEqual(dev.resources?.postgreSQL?.databases, ["demo"]);
    assert.deepEqual(dev.domain?.cloudflare, { subdomain: "demo", zone: "sourcegraph.com" });
    assert.doesNotMatch(r.stdout, /category: internal \(from/, "a chosen category needs no note");
    assert.match(r.stdout, /domain: demo\.sourcegraph\.com \(pass --domain none/);
    assert.ok(fs.existsSync(path.join(w.root, "stacks", "Pulumi.demo-dev.yaml")));
    // The commands it suggests name the services folder it was given, so they check the new spec.
    assert.ok(
      r.stdout.includes(
        `Next: edit the spec, then npx msp --services ${w.services} validate and npx msp --services ${w.services} preview demo-dev`,
      ),
      r.stdout,
    );

    const v = await w.run("validate");
    assert.equal(v.status, 0, v.stderr);
    const p = await w.run("preview", "demo-dev");
    assert.equal(p.status, 0, p.stderr);
    assert.match(p.stdout, /PostgresInstance/);
    assert.match(p.stdout, /Policies: msp pack \(internal\): 0 mandatory/);
  });

  it("init-env takes the category from the environment name only with a note, and keeps comments", async () => {
    const w = workspace();
    assert.equal((await w.run("init", "demo", "--database", "postgres")).status, 0);
    assert.equal(w.env("demo", "dev").category, "test");
    const file = path.join(w.services, "demo", "service.yaml");
    fs.appendFileSync(file, "# a comment the owner wrote\n");

    // A production environment needs service.notionPageID (MSP's rule): asked for, then added under service.
    const asked = await w.run("init-env", "demo", "prod", "--tag", "1.0.0");
    assert.equal(asked.status, 2);
    assert.match(
      asked.stderr,
      /pass --notion-page <page id>: an internal environment needs service\.notionPageID/,
    );
    const r = await w.run("init-env", "demo", "prod", "--tag", "1.0.0", "--notion-page", "0a1b2c3d");
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      fs.readFileSync(file, "utf8"),
      /\n  description: .*\n  notionPageID: 0a1b2c3d\n/,
      "added as the service mapping's last key, the rest as it was",
    );
    assert.ok(
      r.stdout.includes(
        `Next: npx msp --services ${w.services} validate and npx msp --services ${w.services} preview demo-prod`,
      ),
      r.stdout,
    );
    assert.match(
      r.stdout,
      /category: internal \(from the environment name "prod"; pass --category to choose: test, internal, external\)/,
    );
    assert.match(r.stdout, /database: postgres \(like the other environments; pass --database to choose\)/);
    const prod = w.env("demo", "prod");
    assert.equal(prod.category, "internal");
    assert.deepEqual(prod.resources?.postgreSQL?.databases, ["demo"]);
    assert.deepEqual(prod.domain?.cloudflare, { subdomain: "demo", zone: "sourcegraph.com" });
    assert.match(w.spec("demo"), /# a comment the owner wrote/);
    assert.equal((await w.run("validate")).status, 0);
    const p = await w.run("preview", "demo-prod");
    assert.equal(p.status, 0, p.stderr);
  });

  it("init-env asks for --category when the name does not tell, and honours every flag", async () => {
    const w = workspace();
    assert.equal(
      (
        await w.run(
          "init",
          "demo",
          "--env",
          "prod",
          "--category",
          "external",
          "--tag",
          "2.0.0",
          "--notion-page",
          "0a1b",
        )
      ).status,
      0,
    );
    const before = w.spec("demo");
    const unknown = await w.run("init-env", "demo", "eu");
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /pass --category \(test, internal, external\): the environment name "eu"/);
    assert.equal(w.spec("demo"), before, "nothing written");

    const r = await w.run(
      "init-env",
      "demo",
      "eu",
      "--category",
      "external",
      "--domain",
      "demo-eu.sourcegraph.com",
      "--database",
      "none",
    );
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /note|from the environment name/);
    const eu = w.env("demo", "eu");
    assert.equal(eu.category, "external");
    assert.deepEqual(eu.domain?.cloudflare, { subdomain: "demo-eu", zone: "sourcegraph.com" });
    assert.equal(eu.resources, undefined);

    const staging = await w.run("init-env", "demo", "staging", "--domain", "none");
    assert.equal(staging.status, 0, staging.stderr);
    assert.equal(w.env("demo", "staging").category, "test");
    assert.equal(w.env("demo", "staging").domain, undefined);
    assert.equal((await w.run("validate")).status, 0);
  });

  it("init and init-env refuse a stack name another service claims, before writing anything (IDs with '-')", async () => {
    const w = workspace();
    assert.equal((await w.run("init", "shop", "--env", "prod-eu", "--category", "test")).status, 0);
    const stacks = () => fs.readdirSync(path.join(w.root, "stacks")).sort();
    const written = stacks();
    // shop + prod-eu and shop-prod + eu both make the stack shop-prod-eu.
    const r = await w.run("init", "shop-prod", "--env", "eu", "--category", "test");
    assert.equal(r.status, 2, r.stdout);
    assert.match(r.stderr, /stack name shop-prod-eu is already claimed by shop environment prod-eu \(/);
    assert.equal(fs.existsSync(path.join(w.services, "shop-prod")), false, "no spec written");
    assert.deepEqual(stacks(), written, "no stack file written or taken over");
    // init-env meets the same claim from the other side.
    assert.equal((await w.run("init", "shop-prod", "--env", "dev", "--category", "test")).status, 0);
    const e = await w.run("init-env", "shop-prod", "eu", "--category", "test");
    assert.equal(e.status, 2, e.stdout);
    assert.match(e.stderr, /already claimed by shop environment prod-eu/);
    assert.equal(w.env("shop-prod", "eu"), undefined, "the spec is unchanged");
  });

  it("init --kind job writes a scheduled job without a domain", async () => {
    const w = workspace();
    assert.equal(
      (await w.run("init", "nightly", "--kind", "job", "--domain", "x.sourcegraph.com")).status,
      2,
    );
    const r = await w.run("init", "nightly", "--kind", "job", "--category", "test");
    assert.equal(r.status, 0, r.stderr);
    const dev = w.env("nightly", "dev");
    assert.equal(dev.schedule?.cron, "0 * * * *");
    assert.equal(dev.domain, undefined);
    assert.equal((await w.run("validate")).status, 0);
    assert.equal((await w.run("preview", "nightly-dev")).status, 0);
  });

  it("init-env copies the shape of the service's environments: databases, Redis, secrets, probes, env", async () => {
    const w = workspace();
    assert.equal((await w.run("init", "orders", "--database", "postgres")).status, 0);
    const file = path.join(w.services, "orders", "service.yaml");
    const dev = w.env("orders", "dev") as Env & { projectID: string };
    // The owner's environment: database "orders", Redis, a secret, probes, custom env (one naming its project).
    fs.writeFileSync(
      file,
      w
        .spec("orders")
        .replace("          - orders\n", "          - orders\n      redis:\n        memoryGB: 2\n")
        .replace(
          "    env:\n      SRC_LOG_LEVEL: info\n      SRC_LOG_FORMAT: json_gcp\n",
          `    healthProbes:\n      healthzProbes: true\n      timeout: 3\n    env:\n      ORDERS_MODE: strict\n      ORDERS_BUCKET: ${dev.projectID}-exports\n    secretEnv:\n      STRIPE_KEY: ORDERS_STRIPE_KEY\n      SHARED: projects/${dev.projectID}/secrets/SHARED\n`,
        ),
    );
    assert.equal((await w.run("validate")).status, 0);

    // Production needs a pinned tag: the dev environment's moving "insiders" is not copied.
    const refused = await w.run("init-env", "orders", "prod", "--category", "external");
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /pass --tag <release> .*an external environment deploys a pinned image tag/);
    assert.ok(!fs.existsSync(path.join(w.root, "stacks", "Pulumi.orders-prod.yaml")), "nothing written");

    assert.match(refused.stderr, /pass --notion-page <page id>/, "every problem at once");
    const r = await w.run(
      "init-env",
      "orders",
      "prod",
      "--category",
      "external",
      "--tag",
      "1.4",
      "--notion-page",
      "0a1b",
    );
    assert.equal(r.status, 0, r.stderr);
    const prod = w.env("orders", "prod") as Env & Record<string, unknown>;
    assert.equal(prod.category, "external");
    assert.deepEqual(
      prod.deploy,
      { type: "manual", manual: { tag: "1.4" } },
      "quoted: 1.4 would be a number",
    );
    assert.deepEqual(prod.resources, { postgreSQL: { databases: ["orders"] }, redis: { memoryGB: 2 } });
    assert.deepEqual(prod.healthProbes, { healthzProbes: true, timeout: 3 });
    const projectID = prod.projectID as string;
    assert.match(projectID, /^orders-prod-[0-9a-f]{4}$/);
    assert.deepEqual(prod.env, { ORDERS_MODE: "strict", ORDERS_BUCKET: `${projectID}-exports` });
    assert.deepEqual(prod.secretEnv, { STRIPE_KEY: "ORDERS_STRIPE_KEY", SHARED: "SHARED" });
    assert.match(
      r.stdout,
      /copied from environment dev: PostgreSQL \(databases: orders\), Redis, secretEnv, env, healthProbes, instances/,
    );
    assert.match(
      r.stdout,
      new RegExp(`to do: create the secret\\(s\\) ORDERS_STRIPE_KEY, SHARED in project ${projectID}`),
    );
    assert.equal((await w.run("validate")).status, 0);

    // A further production environment copies production, pinned tag included.
    const eu = await w.run("init-env", "orders", "eu", "--category", "external");
    assert.equal(eu.status, 0, eu.stderr);
    assert.match(eu.stdout, /copied from environment prod/);
    assert.match(eu.stdout, /tag: 1\.4 \(the release environment prod deploys; pass --tag to choose\)/);
    assert.deepEqual((w.env("orders", "eu") as Env & { deploy: unknown }).deploy, {
      type: "manual",
      manual: { tag: "1.4" },
    });
  });

  it("writes values quoted where YAML needs it", async () => {
    const w = workspace();
    // Values YAML would read as a number and a boolean (names and owners may not hold ':' or '#': issue 23).
    const r = await w.run("init", "billing", "--name", "2024", "--owner", "true");
    assert.equal(r.status, 0, r.stderr);
    const spec = parse(w.spec("billing")) as { service: { name: string; owners: string[] } };
    assert.equal(spec.service.name, "2024");
    assert.deepEqual(spec.service.owners, ["true"]);
    assert.match(w.spec("billing"), /^# yaml-language-server: \$schema=/, "the schema line stays first");
    assert.match(w.spec("billing"), /# Teams paged for CRITICAL alerts/);
  });

  it("refuses with every reason: all flag problems, and every problem of an invalid spec", async () => {
    const w = workspace();
    const flags = await w.run(
      "init",
      "demo",
      "--category",
      "prod",
      "--database",
      "mysql",
      "--domain",
      "demo.example.com",
    );
    assert.equal(flags.status, 2);
    assert.match(flags.stderr, /^error: 3 problems:\n  - --category must be one of/);
    assert.match(flags.stderr, /\n  - --domain must be none or <subdomain>\.<zone>/);
    assert.match(flags.stderr, /\n  - --database must be postgres or none, not "mysql"/);

    assert.equal((await w.run("init", "demo")).status, 0);
    const file = path.join(w.services, "demo", "service.yaml");
    fs.writeFileSync(file, w.spec("demo").replace("cpu: 1", "cpu: 16"));
    const before = w.spec("demo");
    const r = await w.run("init-env", "demo", "staging");
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /^error: the new spec would be invalid:\n  .*service\.yaml:\d+:\d+: environments\[0\]\.instances\.resources\.cpu: must be at most 8/,
    );
    assert.equal(w.spec("demo"), before, "nothing written");
    assert.ok(!fs.existsSync(path.join(w.root, "stacks", "Pulumi.demo-staging.yaml")));
  });

  it("writes the spec and the stack file together or not at all", async () => {
    const w = workspace();
    // The stack folder cannot be made (a file is in its place): the spec must not be left without it.
    fs.writeFileSync(path.join(w.root, "stacks"), "not a folder");
    const r = await w.run("init", "demo");
    assert.notEqual(r.status, 0);
    assert.deepEqual(fs.readdirSync(w.services), [], "no half-created service");
  });

  it("init-env writes the missing stack file of an existing environment (what msp validate asks for)", async () => {
    const w = workspace();
    assert.equal((await w.run("init", "demo")).status, 0);
    assert.equal((await w.run("init-env", "demo", "staging")).status, 0);
    const stack = path.join(w.root, "stacks", "Pulumi.demo-staging.yaml");
    fs.rmSync(stack);
    const v = await w.run("validate");
    assert.equal(v.status, 1);
    assert.match(
      v.stderr,
      /environments\[1\]\.id: has no stack file .*Pulumi\.demo-staging\.yaml .*run npx msp init-env demo staging/,
    );
    const p = await w.run("preview", "demo-staging");
    assert.equal(p.status, 1, "msp preview refuses it too");
    assert.match(p.stderr, /environments\[1\]\.id: has no stack file/);
    const before = w.spec("demo");
    const r = await w.run("init-env", "demo", "staging");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(w.spec("demo"), before);
    assert.match(fs.readFileSync(stack, "utf8"), /gcp:project: demo-staging-[0-9a-f]{4}/);
    assert.equal((await w.run("validate")).status, 0);
    assert.equal((await w.run("init-env", "demo", "staging")).status, 2, "both exist: nothing to do");
  });

  for (const [args, message] of [
    [["--category", "prod"], /--category must be one of test, internal, external, not "prod"/],
    [["--database", "mysql"], /--database must be postgres or none, not "mysql"/],
    [["--domain", "demo.example.com"], /zone of msp:allowedZones \(sourcegraph\.com, sgdev\.org\)/],
    [
      ["--env", "averylongenvironmentname", "--category", "test"],
      /the project ID demo-averylongenvironmentname-[0-9a-f]{4} would be 34 characters \(GCP allows 30\)/,
    ],
  ] as const)
    it(`refuses ${args.join(" ")} with a one-line error and writes nothing`, async () => {
      const w = workspace();
      const r = await w.run("init", "demo", ...args);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.deepEqual(fs.readdirSync(w.services), []);
      assert.ok(!fs.existsSync(path.join(w.root, "stacks")));
    });
});

describe("init choices (pure)", () => {
  it("derives the category only from names that say it", () => {
    for (const n of ["dev", "test", "staging", "qa", "dev2"])
      assert.equal(categoryFromEnvironmentName(n), "test", n);
    for (const n of ["prod", "production", "prod2"])
      assert.equal(categoryFromEnvironmentName(n), "internal", n);
    for (const n of ["eu", "customer", "prodlike"])
      assert.equal(categoryFromEnvironmentName(n), undefined, n);
  });

  it("picks a free default domain and parses --domain against the allowed zones", () => {
    const zones = ["sourcegraph.com", "sgdev.org"];
    assert.deepEqual(defaultDomain("demo", "dev", "test", zones), { subdomain: "demo", zone: "sgdev.org" });
    assert.deepEqual(defaultDomain("demo", "eu", "external", zones, ["demo.sourcegraph.com"]), {
      subdomain: "demo-eu",
      zone: "sourcegraph.com",
    });
    assert.deepEqual(parseDomainFlag("api.demo.sgdev.org", zones), {
      subdomain: "api.demo",
      zone: "sgdev.org",
    });
    assert.equal(parseDomainFlag("none", zones), undefined);
    assert.throws(() => parseDomainFlag("sgdev.org", zones), /--domain must be none or <subdomain>\.<zone>/);
  });
});
