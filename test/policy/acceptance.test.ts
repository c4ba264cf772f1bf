/**
 * Acceptance: the example stacks pass their category's mandatory policies; the issue's attack cases are each
 * refused by the pack in a stack export (the external accounts-prod plan, changed in one place) and by the spec
 * loader in a spec; and the platform settings the policies mention (`msp:allowedZones`, `msp:secretProjects`)
 * really reach the pack, end to end, from Pulumi.yaml.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { planOf, exampleStacks, exampleServices } from "../helpers/stacks";
import { toStackExport, type StackExport, type ExportedResource } from "../../engine/export";
import { exportResources } from "../../policy-emulator/offline";
import { POLICIES } from "../../policy/policies";
import { evaluatePolicies, mandatory, type PackConfig } from "../../policy-emulator/evaluate";
import { categoryConfig } from "../../policy-emulator/generate";
import { checkPlan, stackTags } from "../../policy-emulator/offline";
import { findStack } from "../../program/stack";
import { parseServiceSpec, SpecError } from "../../servicespec/loader";
import { policySettingsOf } from "../../servicespec/security-rules";
import { mspInProcess, REPO } from "../helpers/cli";
import { withValue } from "../helpers/policy";

async function accountsExport(): Promise<StackExport> {
  return structuredClone(toStackExport(await planOf("accounts-prod"), "3"));
}
const find = (doc: StackExport, type: string, pred: (r: ExportedResource) => boolean = () => true) => {
  const r = doc.deployment.resources.find((x) => x.type === type && pred(x));
  assert.ok(r, `no ${type}`);
  return r;
};
/** Changes a value as a real change would: in the inputs (resource policies) and the state (stack policies). */
function set(r: ExportedResource, dotted: string, value: unknown) {
  r.inputs = withValue(r.inputs, dotted, value);
  if (r.outputs) r.outputs = withValue(r.outputs, dotted, value);
}
/** Applies `change` to the inputs and the state of a resource. */
function change(r: ExportedResource, fn: (props: Record<string, unknown>) => void) {
  fn(r.inputs!);
  if (r.outputs) fn(r.outputs);
}
/** The policies with a mandatory violation (all of them, or only the one named, which is faster). */
function failures(
  doc: StackExport,
  config: PackConfig = categoryConfig("external"),
  only?: string,
): string[] {
  const r = evaluatePolicies(
    only ? POLICIES.filter((p) => p.name === only) : POLICIES,
    exportResources(doc),
    config,
    stackTags("accounts-prod", "accounts", "external"),
  );
  return [...new Set(mandatory(r).map((v) => v.policy))];
}
/** Adds a resource as if a component had declared it (parented to an existing msp component). */
function add(d: StackExport, component: string, type: string, name: string, inputs: Record<string, unknown>) {
  const parent = find(d, component);
  const prefix = parent.urn.split("::").slice(0, 2).join("::");
  const qualified = parent.urn.split("::")[2];
  d.deployment.resources.push({
    urn: `${prefix}::${qualified}$${type}::${name}`,
    custom: true,
    type,
    inputs,
    outputs: structuredClone(inputs),
    parent: parent.urn,
  });
}
const SQL = "gcp:sql/databaseInstance:DatabaseInstance";
const IAM = "gcp:projects/iAMMember:IAMMember";
const RUN = "gcp:cloudrunv2/service:Service";
const ARMOR = "gcp:compute/securityPolicy:SecurityPolicy";
const DNS = "cloudflare:index/dnsRecord:DnsRecord";
const SECRET_GRANT = "gcp:secretmanager/secretIamMember:SecretIamMember";
const setFlag = (d: StackExport, name: string, value: string | undefined) =>
  change(find(d, SQL), (p) => {
    const settings = p.settings as { databaseFlags: { name: string; value: string }[] };
    settings.databaseFlags = [
      ...settings.databaseFlags.filter((f) => f.name !== name),
      ...(value === undefined ? [] : [{ name, value }]),
    ];
  });
const changeArmor = (d: StackExport, fn: (rules: Record<string, unknown>[]) => Record<string, unknown>[]) =>
  change(find(d, ARMOR), (p) => void (p.rules = fn(p.rules as Record<string, unknown>[])));
const isWaf = (r: Record<string, unknown>) => /cve-canary/.test(JSON.stringify(r.match));
const roleGrant = (d: StackExport) => find(d, IAM, (r) => r.inputs?.role === "roles/cloudtrace.agent");
const addEnv = (d: StackExport, env: Record<string, unknown>) =>
  change(find(d, RUN), (p) =>
    (p.template as { containers: { envs: unknown[] }[] }).containers[0]!.envs.push(env),
  );

const MUTATIONS: [string, string, (doc: StackExport) => void][] = [
  [
    "backups off",
    "gcp-sql-backups-enabled",
    (d) => set(find(d, SQL), "settings.backupConfiguration.enabled", false),
  ],
  [
    "point-in-time recovery off",
    "gcp-sql-pitr-enabled",
    (d) => set(find(d, SQL), "settings.backupConfiguration.pointInTimeRecoveryEnabled", false),
  ],
  [
    // The instance has a connector-only public address (what PostgresInstance makes for `msp pg connect`):
    // dropping the connector requirement is what opens it.
    "a public SQL address reachable without the connector",
    "gcp-sql-no-public-ip",
    (d) => set(find(d, SQL), "settings.connectorEnforcement", "NOT_REQUIRED"),
  ],
  [
    "deletion protection off",
    "gcp-sql-deletion-protection",
    (d) => set(find(d, SQL), "deletionProtection", false),
  ],
  ["protect removed", "msp-stateful-resources-protected", (d) => void delete find(d, SQL).protect],
  ["the DNS record not proxied", "cloudflare-record-proxied", (d) => set(find(d, DNS), "proxied", false)],
  [
    "Cloud Run ingress open to all",
    "gcp-cloudrun-ingress-restricted",
    (d) => set(find(d, RUN), "ingress", "INGRESS_TRAFFIC_ALL"),
  ],
  [
    "project labels gone",
    "msp-required-labels",
    (d) => set(find(d, "gcp:organizations/project:Project"), "labels", undefined),
  ],
  ["a roles/owner grant", "gcp-iam-no-basic-roles", (d) => set(roleGrant(d), "role", "roles/owner")],
  [
    "a secret-looking variable in plain text",
    "gcp-cloudrun-secrets-from-gsm",
    (d) => addEnv(d, { name: "STRIPE_API_KEY", value: "sk_live_123" }),
  ],
  [
    "a weak TLS policy",
    "gcp-sslpolicy-modern-tls12",
    (d) => set(find(d, "gcp:compute/sSLPolicy:SSLPolicy"), "minTlsVersion", "TLS_1_0"),
  ],
  [
    "a resource outside any component",
    "msp-component-parentage",
    (d) => {
      const stack = find(d, "pulumi:pulumi:Stack");
      const inputs = { name: "stray", uniformBucketLevelAccess: true, publicAccessPrevention: "enforced" };
      d.deployment.resources.push({
        urn: `${stack.urn.split("::")[0]}::msp::gcp:storage/bucket:Bucket::stray`,
        custom: true,
        type: "gcp:storage/bucket:Bucket",
        inputs,
        outputs: { ...inputs },
        parent: stack.urn,
      });
    },
  ],
  [
    "a role other than run.invoker granted to allUsers",
    "gcp-cloudrun-no-public-invoker",
    (d) =>
      add(d, "msp:gcp:Identities", IAM, "public", {
        project: "accounts-prod-csvc",
        role: "roles/storage.objectViewer",
        member: "allUsers",
      }),
  ],
  // The issue's attack cases, each in an export.
  [
    "spec permission resourcemanager.projects.setIamPolicy",
    "gcp-iam-no-privilege-escalation",
    (d) => customRole(d, "resourcemanager.projects.setIamPolicy"),
  ],
  [
    "spec permission iam.serviceAccountKeys.create",
    "gcp-iam-no-privilege-escalation",
    (d) => customRole(d, "iam.serviceAccountKeys.create"),
  ],
  [
    "spec permission iam.serviceAccounts.getAccessToken",
    "gcp-iam-no-privilege-escalation",
    (d) => customRole(d, "iam.serviceAccounts.getAccessToken"),
  ],
  [
    "spec role roles/cloudbuild.builds.editor",
    "gcp-iam-no-privilege-escalation",
    (d) => set(roleGrant(d), "role", "roles/cloudbuild.builds.editor"),
  ],
  [
    "spec role roles/iam.workloadIdentityUser",
    "gcp-iam-no-privilege-escalation",
    (d) => set(roleGrant(d), "role", "roles/iam.workloadIdentityUser"),
  ],
  [
    "secretEnv reading the shared secrets project (Slack token)",
    "gcp-secret-access-allowlist",
    (d) => {
      set(find(d, SECRET_GRANT), "project", "msp-platform-secrets");
      set(find(d, SECRET_GRANT), "secretId", "SLACK_OPERATOR_BOT_TOKEN");
      addEnv(d, {
        name: "SLACK",
        valueSource: {
          secretKeyRef: {
            secret: "projects/msp-platform-secrets/secrets/SLACK_OPERATOR_BOT_TOKEN",
            version: "latest",
          },
        },
      });
    },
  ],
  [
    "secretEnv reading another service's project",
    "gcp-secret-access-allowlist",
    (d) => set(find(d, SECRET_GRANT), "project", "pings-prod-2f4f73edf1db"),
  ],
  [
    "a proxied wildcard record",
    "cloudflare-dns-safe-hostname",
    (d) => set(find(d, DNS), "name", "*.sourcegraph.com"),
  ],
  [
    "a look-alike Unicode record",
    "cloudflare-dns-safe-hostname",
    (d) => set(find(d, DNS), "name", "\u0430ccounts.sourcegraph.com"),
  ],
  [
    "the WAF rule removed",
    "gcp-cloud-armor-waf-enforced",
    (d) => changeArmor(d, (rules) => rules.filter((r) => !isWaf(r))),
  ],
  [
    "the WAF rule in preview",
    "gcp-cloud-armor-waf-enforced",
    (d) => changeArmor(d, (rules) => rules.map((r) => (isWaf(r) ? { ...r, preview: true } : r))),
  ],
  [
    "the WAF rule set to allow",
    "gcp-cloud-armor-waf-enforced",
    (d) => changeArmor(d, (rules) => rules.map((r) => (isWaf(r) ? { ...r, action: "allow" } : r))),
  ],
  ["log_statement removed", "gcp-sql-postgres-audit-flags", (d) => setFlag(d, "log_statement", undefined)],
  ["log_parser_stats on", "gcp-sql-postgres-audit-flags", (d) => setFlag(d, "log_parser_stats", "on")],
  ["log_hostname off", "gcp-sql-postgres-audit-flags", (d) => setFlag(d, "log_hostname", "off")],
  [
    "a bucket without public access prevention",
    "gcp-storage-bucket-private",
    (d) =>
      add(d, "msp:gcp:Identities", "gcp:storage/bucket:Bucket", "open", {
        name: "open",
        uniformBucketLevelAccess: false,
      }),
  ],
  [
    "the default network",
    "gcp-network-no-default-network",
    (d) => set(find(d, "gcp:organizations/project:Project"), "autoCreateNetwork", true),
  ],
  [
    "subnet flow logs off",
    "gcp-subnet-flow-logs-private-access",
    (d) => set(find(d, "gcp:compute/subnetwork:Subnetwork"), "logConfig", undefined),
  ],
  [
    "Data Access audit logging removed",
    "gcp-audit-logging-data-access",
    (d) =>
      void (d.deployment.resources = d.deployment.resources.filter(
        (r) => r.type !== "gcp:projects/iAMAuditConfig:IAMAuditConfig",
      )),
  ],
  [
    "an HTTPS forwarding rule whose target cannot be resolved",
    "gcp-lb-no-plain-http",
    (d) =>
      set(
        find(
          d,
          "gcp:compute/globalForwardingRule:GlobalForwardingRule",
          (r) => r.inputs?.portRange === "443",
        ),
        "target",
        "projects/elsewhere/global/targetHttpsProxies/unknown",
      ),
  ],
  [
    "a public invoker on a same-named service of another project",
    "gcp-cloudrun-no-public-invoker",
    (d) => {
      const svc = find(d, RUN).inputs!;
      add(
        d,
        "msp:gcp:CloudRunService",
        "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
        "public-invoker",
        {
          project: "other-prod-1234",
          location: svc.location,
          name: svc.name,
          role: "roles/run.invoker",
          member: "allUsers",
        },
      );
    },
  ],
];
function customRole(d: StackExport, permission: string) {
  add(d, "msp:gcp:Identities", "gcp:projects/iAMCustomRole:IAMCustomRole", "iam-custom-role", {
    project: "accounts-prod-csvc",
    roleId: "msp_workload_custom_role",
    title: "Managed Services Platform workload custom role",
    permissions: ["bigquery.tables.getData", permission],
  });
}

// The CLI cases run the command in-process (mspInProcess): its verdict and exit code are the subject;
// test/cli/in-process.e2e.test.ts checks policy check gives the same bytes through the bundle.
describe("policy check acceptance (accounts-prod, external)", () => {
  it("passes unchanged, through the CLI", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "msp-pol-")), "accounts.json");
    fs.writeFileSync(file, JSON.stringify(await accountsExport()));
    const r = await mspInProcess(["policy", "check", file, "--category", "external"]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /0 mandatory/);
  });

  it("the unchanged export passes every policy", async () => {
    assert.deepEqual(failures(await accountsExport()), []);
  });

  for (const [what, policy, mutate] of MUTATIONS) {
    it(`fails with ${what} (${policy})`, async () => {
      const doc = await accountsExport();
      mutate(doc);
      assert.deepEqual(failures(doc, undefined, policy), [policy]);
    });
  }

  it("exits 1 from the CLI on a mandatory violation, printing the URN and the fix", async () => {
    const doc = await accountsExport();
    MUTATIONS[0]![2](doc);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "msp-pol-")), "bad.json");
    fs.writeFileSync(file, JSON.stringify(doc));
    const r = await mspInProcess(["policy", "check", file, "--category", "external"]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /gcp-sql-backups-enabled/);
    assert.match(r.stdout, /urn:pulumi:accounts-prod::msp::.*DatabaseInstance::postgres-instance/);
    assert.equal((await mspInProcess(["policy", "check", file, "--category", "prod"])).status, 2);
  });
});

describe("the issue's attack cases in a spec", () => {
  const FILE = path.join(REPO, "services", "accounts", "service.yaml");
  const ACCOUNTS = fs.readFileSync(FILE, "utf8");
  const fieldsOf = (text: string) => {
    try {
      parseServiceSpec(FILE, new TextEncoder().encode(text));
    } catch (e) {
      if (e instanceof SpecError) return e.issues.map((i) => `${i.field}: ${i.message}`);
      throw e;
    }
    return [];
  };
  const withIam = (lines: string) => ACCOUNTS.replace("  description:", `  iam:\n${lines}\n  description:`);
  const ATTACKS: [string, string, RegExp][] = [
    [
      "permission setIamPolicy",
      withIam("    permissions: [resourcemanager.projects.setIamPolicy]"),
      /^service\.iam\.permissions\[0\]: .*sets an IAM policy/,
    ],
    [
      "permission key creation",
      withIam("    permissions: [iam.serviceAccountKeys.create]"),
      /^service\.iam\.permissions\[0\]: .*long-lived keys/,
    ],
    [
      "permission token minting",
      withIam("    permissions: [iam.serviceAccounts.getAccessToken]"),
      /^service\.iam\.permissions\[0\]: .*mints access tokens/,
    ],
    [
      "role Cloud Build editor",
      withIam("    roles: [roles/cloudbuild.builds.editor]"),
      /^service\.iam\.roles\[0\]: /,
    ],
    [
      "role Workload Identity User",
      withIam("    roles: [roles/iam.workloadIdentityUser]"),
      /^service\.iam\.roles\[0\]: /,
    ],
    [
      "secretEnv from the shared secrets project",
      ACCOUNTS.replace(
        "projects/sourcegraph-secrets/secrets/ACCOUNTS_IDP_CLIENT_SECRET",
        "projects/msp-platform-secrets/secrets/SOURCEGRAPH_WILDCARD_KEY",
      ),
      /^environments\[0\]\.secretEnv\.IDENTITY_PROVIDER_CLIENT_SECRET: .*shared secrets project/,
    ],
    [
      "secretEnv from another service's project",
      ACCOUNTS.replace(
        "projects/sourcegraph-secrets/secrets/ACCOUNTS_IDP_CLIENT_SECRET",
        "projects/pings-prod-2f4f73edf1db/secrets/X",
      ),
      /^environments\[0\]\.secretEnv\.IDENTITY_PROVIDER_CLIENT_SECRET: .*msp:secretProjects/,
    ],
    [
      "a wildcard subdomain",
      ACCOUNTS.replace("subdomain: accounts", 'subdomain: "*"'),
      /^environments\[0\]\.domain\.cloudflare\.subdomain: .*wildcard/,
    ],
    [
      "a look-alike subdomain",
      ACCOUNTS.replace("subdomain: accounts", "subdomain: \u0430ccounts"),
      /^environments\[0\]\.domain\.cloudflare\.subdomain: .*non-ASCII/,
    ],
  ];
  it("the accounts spec loads unchanged", () => assert.deepEqual(fieldsOf(ACCOUNTS), []));
  for (const [what, text, expected] of ATTACKS)
    it(`refuses ${what}`, () => {
      assert.notEqual(text, ACCOUNTS, "the attack changed the spec");
      const found = fieldsOf(text);
      assert.ok(
        found.some((f) => expected.test(f)),
        JSON.stringify(found),
      );
    });
});

describe("platform settings reach the pack (config honoured)", () => {
  const project = parse(fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8")) as {
    config: Record<string, { value: unknown }>;
  };
  const committed = (c: string) =>
    JSON.parse(fs.readFileSync(path.join(REPO, "policy", "config", `${c}.json`), "utf8")) as PackConfig;

  it("policy/config carries Pulumi.yaml's msp:allowedZones, msp:secretProjects and msp:sharedSecretsProject", () => {
    for (const c of ["test", "internal", "external"]) {
      const cfg = committed(c);
      assert.deepEqual(
        cfg["cloudflare-dns-allowed-zone"]!.allowedZones,
        project.config["msp:allowedZones"]!.value,
      );
      assert.deepEqual(
        cfg["gcp-secret-access-allowlist"]!.secretProjects,
        project.config["msp:secretProjects"]!.value,
      );
      assert.equal(
        cfg["gcp-secret-access-allowlist"]!.sharedSecretsProject,
        project.config["msp:sharedSecretsProject"]!.value,
      );
    }
  });

  it("no stack file overrides them (the pack's configuration is generated from Pulumi.yaml only)", () => {
    for (const file of fs.readdirSync(path.join(REPO, "stacks"))) {
      const config = (
        parse(fs.readFileSync(path.join(REPO, "stacks", file), "utf8")) as { config?: object } | null
      )?.config;
      for (const key of ["msp:allowedZones", "msp:secretProjects", "msp:sharedSecretsProject"])
        assert.ok(!config || !(key in config), `${file} sets ${key}: set it in Pulumi.yaml`);
    }
  });

  it("changing msp:allowedZones changes what the zone policy accepts, end to end", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-zones-"));
    const yaml = fs
      .readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8")
      .replace(/(msp:allowedZones:[\s\S]*?value:\n)(\s+- .*\n)+/, "$1      - example.org\n");
    fs.writeFileSync(path.join(root, "Pulumi.yaml"), yaml);
    const settings = policySettingsOf(path.join(root, "Pulumi.yaml"));
    assert.deepEqual(settings.allowedZones, ["example.org"]);
    const changed = categoryConfig("external", settings);

    const doc = await accountsExport();
    assert.deepEqual(
      failures(doc, changed),
      ["cloudflare-dns-allowed-zone"],
      "sourcegraph.com is no longer allowed",
    );
    set(find(doc, DNS), "name", "accounts.example.org");
    assert.deepEqual(failures(doc, changed), [], "example.org is now allowed");
    assert.deepEqual(
      failures(doc),
      ["cloudflare-dns-allowed-zone"],
      "and refused by the repository's settings",
    );

    // The spec checks read the same file: a spec under that project may use example.org and only it.
    const dir = path.join(root, "services", "accounts");
    fs.mkdirSync(dir, { recursive: true });
    const text = fs.readFileSync(path.join(REPO, "services", "accounts", "service.yaml"), "utf8");
    const at = path.join(dir, "service.yaml");
    assert.throws(
      () => parseServiceSpec(at, new TextEncoder().encode(text)),
      /not an allowed zone \(msp:allowedZones in Pulumi.yaml: example.org\)/,
    );
    assert.doesNotThrow(() =>
      parseServiceSpec(
        at,
        new TextEncoder().encode(text.replace("zone: sourcegraph.com", "zone: example.org")),
      ),
    );
  });
});

describe("example stacks against the pack", () => {
  for (const stack of exampleStacks()) {
    it(`${stack} has zero mandatory violations for its category`, async () => {
      const t = findStack(exampleServices(), stack)!;
      const result = checkPlan(await planOf(stack), t.service.spec.service.id, t.env.category);
      assert.deepEqual(
        mandatory(result).map((v) => `${v.policy}: ${v.message}`),
        [],
      );
    });
  }
});
