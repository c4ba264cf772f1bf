/**
 * The acceptance: the external accounts-prod export (PostgreSQL, proxied domain, load balancer)
 * passes `msp policy check --category external`; changing one thing in it makes the check fail.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { planOf, exampleStacks, exampleServices } from "../helpers/stacks";
import { toStackExport, type StackExport, type ExportedResource } from "../../engine/export";
import { exportResources } from "../../cli/commands/policy";
import { POLICIES } from "../../policy/policies";
import { evaluatePolicies, mandatory } from "../../policy/evaluate";
import { categoryConfig } from "../../policy/generate";
import { checkPlan, stackTags } from "../../policy/offline";
import { findStack } from "../../program/stack";
import { msp } from "../helpers/cli";
import { withValue } from "../helpers/policy";

async function accountsExport(): Promise<StackExport> {
  return structuredClone(toStackExport(await planOf("accounts-prod"), "3"));
}
const find = (doc: StackExport, type: string, pred: (r: ExportedResource) => boolean = () => true) => {
  const r = doc.deployment.resources.find((x) => x.type === type && pred(x));
  assert.ok(r, `no ${type}`);
  return r;
};
function failures(doc: StackExport): string[] {
  const r = evaluatePolicies(
    POLICIES,
    exportResources(doc),
    categoryConfig("external"),
    stackTags("accounts-prod", "accounts", "external"),
  );
  return [...new Set(mandatory(r).map((v) => v.policy))];
}

const MUTATIONS: [string, string, (doc: StackExport) => void][] = [
  [
    "backups off",
    "gcp-sql-backups-enabled",
    (d) => {
      const r = find(d, "gcp:sql/databaseInstance:DatabaseInstance");
      r.inputs = withValue(r.inputs, "settings.backupConfiguration.enabled", false);
    },
  ],
  [
    "point-in-time recovery off",
    "gcp-sql-pitr-enabled",
    (d) => {
      const r = find(d, "gcp:sql/databaseInstance:DatabaseInstance");
      r.inputs = withValue(r.inputs, "settings.backupConfiguration.pointInTimeRecoveryEnabled", false);
    },
  ],
  [
    "a public SQL address",
    "gcp-sql-no-public-ip",
    (d) => {
      const r = find(d, "gcp:sql/databaseInstance:DatabaseInstance");
      r.inputs = withValue(r.inputs, "settings.ipConfiguration.ipv4Enabled", true);
    },
  ],
  [
    "deletion protection off",
    "gcp-sql-deletion-protection",
    (d) => {
      const r = find(d, "gcp:sql/databaseInstance:DatabaseInstance");
      r.inputs = withValue(r.inputs, "deletionProtection", false);
    },
  ],
  [
    "protect removed",
    "msp-stateful-resources-protected",
    (d) => {
      delete find(d, "gcp:sql/databaseInstance:DatabaseInstance").protect;
    },
  ],
  [
    "the DNS record not proxied",
    "cloudflare-record-proxied",
    (d) => {
      const r = find(d, "cloudflare:index/dnsRecord:DnsRecord");
      r.inputs = withValue(r.inputs, "proxied", false);
    },
  ],
  [
    "Cloud Run ingress open to all",
    "gcp-cloudrun-ingress-restricted",
    (d) => {
      const r = find(d, "gcp:cloudrunv2/service:Service");
      r.inputs = withValue(r.inputs, "ingress", "INGRESS_TRAFFIC_ALL");
    },
  ],
  [
    "project labels gone",
    "msp-required-labels",
    (d) => {
      const r = find(d, "gcp:organizations/project:Project");
      r.inputs = withValue(r.inputs, "labels", undefined);
    },
  ],
  [
    "a roles/owner grant",
    "gcp-iam-no-basic-roles",
    (d) => {
      const r = find(d, "gcp:projects/iAMMember:IAMMember");
      r.inputs = withValue(r.inputs, "role", "roles/owner");
    },
  ],
  [
    "a secret-looking variable in plain text",
    "gcp-cloudrun-secrets-from-gsm",
    (d) => {
      const r = find(d, "gcp:cloudrunv2/service:Service");
      const envs = r.inputs!["template"] as { containers: { envs: unknown[] }[] };
      envs.containers[0]!.envs.push({ name: "STRIPE_API_KEY", value: "sk_live_123" });
    },
  ],
  [
    "a weak TLS policy",
    "gcp-sslpolicy-modern-tls12",
    (d) => {
      const r = find(d, "gcp:compute/sSLPolicy:SSLPolicy");
      r.inputs = withValue(r.inputs, "minTlsVersion", "TLS_1_0");
    },
  ],
  [
    "a resource outside any component",
    "msp-component-parentage",
    (d) => {
      const stack = find(d, "pulumi:pulumi:Stack");
      d.deployment.resources.push({
        urn: `${stack.urn.split("::")[0]}::msp::gcp:storage/bucket:Bucket::stray`,
        custom: true,
        type: "gcp:storage/bucket:Bucket",
        inputs: { name: "stray" },
        parent: stack.urn,
      });
    },
  ],
  [
    "a role other than run.invoker granted to allUsers",
    "gcp-cloudrun-no-public-invoker",
    (d) => {
      const stack = find(d, "pulumi:pulumi:Stack");
      d.deployment.resources.push({
        urn: `${stack.urn.split("::")[0]}::msp::msp:gcp:Identities$gcp:projects/iAMMember:IAMMember::public`,
        custom: true,
        type: "gcp:projects/iAMMember:IAMMember",
        inputs: { project: "accounts-prod-csvc", role: "roles/storage.objectViewer", member: "allUsers" },
        parent: find(d, "msp:gcp:Identities").urn,
      });
    },
  ],
];

describe("policy check acceptance (accounts-prod, external)", () => {
  it("passes unchanged, through the CLI", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "msp-pol-")), "accounts.json");
    fs.writeFileSync(file, JSON.stringify(await accountsExport()));
    const r = msp(["policy", "check", file, "--category", "external"]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /0 mandatory/);
  });

  for (const [what, policy, mutate] of MUTATIONS) {
    it(`fails with ${what} (${policy})`, async () => {
      const doc = await accountsExport();
      assert.deepEqual(failures(doc), [], "the unchanged export passes");
      mutate(doc);
      assert.ok(
        failures(doc).includes(policy),
        `expected ${policy}, got ${failures(doc).join(", ") || "nothing"}`,
      );
    });
  }

  it("exits 1 from the CLI on a mandatory violation, printing the URN and the fix", async () => {
    const doc = await accountsExport();
    MUTATIONS[0]![2](doc);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "msp-pol-")), "bad.json");
    fs.writeFileSync(file, JSON.stringify(doc));
    const r = msp(["policy", "check", file, "--category", "external"]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /\[mandatory\]\s+msp v0\.1\.0\s+gcp-sql-backups-enabled/);
    assert.match(r.stdout, /resource: urn:pulumi:accounts-prod::msp::.*DatabaseInstance::postgres-instance/);
    assert.match(r.stdout, /fix: /);
    assert.equal(msp(["policy", "check", file, "--category", "prod"]).status, 2);
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
