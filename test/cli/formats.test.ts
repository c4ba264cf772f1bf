/**
 * `msp policy check --format text|json|sarif` and `msp validate --format text|json|sarif`: output on stdout,
 * exit codes unchanged (0 ok, 1 a finding, 2 usage or unreadable input), the JSON shape documented in
 * cli/reports.ts, and SARIF 2.1.0 valid against the OASIS schema, with results on the spec lines.
 *
 * test/fixtures/sarif-2.1.0-rtm.5.json is the OASIS SARIF 2.1.0 JSON schema (draft-04, the final rtm.5
 * revision), copied unchanged from the npm package @microsoft/jest-sarif 1.0.0-beta.0
 * (lib/schemas/sarif-2.1.0-rtm.5.json, MIT); that package's other dependencies are not needed here.
 *
 * Runner: in-process (mspInProcess): the subject is the report each format prints and the exit code;
 * test/cli/in-process.e2e.test.ts runs the same commands through the bundle (bin/msp.js) and checks both agree.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import AjvDraft04 from "ajv-draft-04";
import type { Log, Result } from "sarif";
import { toStackExport, type StackExport } from "../../engine/export";
import { POLICIES } from "../../policy/policies";
import { specPathFor, typeChain } from "../../cli/spec-location";
import { planOf } from "../helpers/stacks";
import { mspInProcess, REPO } from "../helpers/cli";
import { withValue } from "../helpers/policy";

const ajv = new AjvDraft04({
  allErrors: true,
  strict: false,
  // The schema's `language` pattern ("...-[a-zA-Z]{2}]?$") is valid only without the u flag.
  unicodeRegExp: false,
  formats: {
    uri: (s: string) => URL.canParse(s),
    "uri-reference": (s: string) => URL.canParse(s, "file:///base/"),
    "date-time": (s: string) => !Number.isNaN(Date.parse(s)),
  },
});
const validSarif = ajv.compile(
  JSON.parse(
    fs.readFileSync(path.join(REPO, "test", "fixtures", "sarif-2.1.0-rtm.5.json"), "utf8"),
  ) as object,
);
function assertSarif(text: string): Log {
  const log = JSON.parse(text) as Log;
  assert.ok(validSarif(log), JSON.stringify(validSarif.errors, null, 1));
  assert.equal(log.version, "2.1.0");
  return log;
}

const SPEC = "services/accounts/service.yaml";
const specText = fs.readFileSync(path.join(REPO, SPEC), "utf8");
/** The 1-based line of the first line matching `re` in the accounts spec (found by text, not by our locator). */
const lineOf = (re: RegExp) => specText.split("\n").findIndex((l) => re.test(l)) + 1;

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "msp-fmt-"));
const SQL = "gcp:sql/databaseInstance:DatabaseInstance";

/** The accounts-prod export with SQL backups off, the DNS record unproxied and Cloud Run open to all. */
async function brokenAccounts(): Promise<string> {
  const doc = structuredClone<StackExport>(toStackExport(await planOf("accounts-prod"), "3"));
  for (const r of doc.deployment.resources) {
    if (r.type === SQL) r.inputs = withValue(r.inputs, "settings.backupConfiguration.enabled", false);
    if (r.type === "cloudflare:index/dnsRecord:DnsRecord") r.inputs = withValue(r.inputs, "proxied", false);
    if (r.type === "gcp:cloudrunv2/service:Service")
      r.inputs = withValue(r.inputs, "ingress", "INGRESS_TRAFFIC_ALL");
  }
  const file = path.join(tmp(), "accounts-prod.json");
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe("machine-readable output", function () {
  // Each test runs the msp command a few times: seconds each on a busy machine.
  this.timeout(120_000);
  let exportFile: string;
  before(async function () {
    this.timeout(60_000);
    exportFile = await brokenAccounts();
  });

  describe("msp policy check", () => {
    const check = (...extra: string[]) =>
      mspInProcess(["policy", "check", exportFile, "--category", "external", ...extra]);

    it("--format sarif: valid SARIF 2.1.0, one rule per policy, results on the spec lines, exit 1", async () => {
      const r = await check("--format", "sarif");
      assert.equal(r.status, 1, r.stderr);
      const log = assertSarif(r.stdout);
      const run = log.runs[0]!;
      const rules = run.tool.driver.rules!;
      assert.deepEqual(
        rules.map((x) => x.id),
        POLICIES.map((p) => p.name),
      );
      for (const [rule, policy] of rules.map((x, i) => [x, POLICIES[i]!] as const)) {
        assert.equal(rule.shortDescription?.text, policy.description);
        assert.equal(rule.help?.text, policy.remediationSteps);
        assert.equal(rule.properties?.severity, policy.severity);
        assert.deepEqual(rule.properties?.frameworks, [...(policy.tags ?? [])]);
      }
      const result = (policy: string, type: string): Result => {
        const found = run.results!.find(
          (x) =>
            x.ruleId === policy &&
            x.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName?.includes(type),
        );
        assert.ok(found, `no ${policy} result on a ${type}`);
        return found;
      };
      const at = (res: Result) => {
        const loc = res.locations![0]!.physicalLocation!;
        return [loc.artifactLocation!.uri, loc.region!.startLine];
      };
      const sql = result("gcp-sql-backups-enabled", SQL);
      assert.equal(sql.level, "error");
      assert.equal(rules[sql.ruleIndex!]!.id, "gcp-sql-backups-enabled");
      assert.deepEqual(at(sql), [SPEC, lineOf(/^\s+postgreSQL:/)]);
      assert.deepEqual(at(result("cloudflare-record-proxied", "DnsRecord")), [SPEC, lineOf(/^\s+domain:/)]);
      assert.deepEqual(at(result("gcp-cloudrun-ingress-restricted", "cloudrunv2/service:Service")), [
        SPEC,
        lineOf(/^\s+instances:/),
      ]);
      for (const res of run.results!) {
        assert.ok(["error", "warning"].includes(res.level!));
        assert.ok(res.message.text?.length);
      }
    });

    it("--format json: the documented shape, with spec locations", async () => {
      const r = await check("--format", "json");
      assert.equal(r.status, 1, r.stderr);
      const report = JSON.parse(r.stdout) as {
        version: number;
        kind: string;
        stack: string;
        category: string;
        pack: { name: string; version: string };
        summary: Record<string, number>;
        violations: {
          policy: string;
          level: string;
          urn: string | null;
          resource: { name: string; type: string } | null;
          location: { file: string; line: number; column: number; field: string } | null;
          frameworks: string[];
        }[];
      };
      assert.equal(report.version, 1);
      assert.equal(report.kind, "policy-check");
      assert.equal(report.stack, "accounts-prod");
      assert.equal(report.category, "external");
      assert.deepEqual(report.pack, { name: "msp", version: "0.1.0" });
      assert.equal(report.summary.policies, POLICIES.length);
      assert.equal(report.summary.mandatory, report.violations.filter((v) => v.level === "mandatory").length);
      const sql = report.violations.find((v) => v.policy === "gcp-sql-backups-enabled")!;
      assert.deepEqual(sql.resource, { name: "postgres-instance", type: SQL });
      assert.deepEqual(sql.location, {
        file: SPEC,
        line: lineOf(/^\s+postgreSQL:/),
        column: specText.split("\n")[lineOf(/^\s+postgreSQL:/) - 1]!.indexOf("postgreSQL") + 1,
        field: "environments[0].resources.postgreSQL",
      });
    });

    it("text stays the default; a bad --format is a usage error (2); an unreadable export is 2 in every format", async () => {
      const text = await check();
      assert.equal(text.status, 1);
      assert.match(text.stdout, /\[mandatory\]\s+msp v0\.1\.0\s+gcp-sql-backups-enabled/);
      assert.equal((await check("--format", "xml")).status, 2);
      for (const format of ["text", "json", "sarif"]) {
        const r = await mspInProcess([
          "policy",
          "check",
          path.join(tmp(), "missing.json"),
          "--category",
          "test",
          "--format",
          format,
        ]);
        assert.equal(r.status, 2, format);
        assert.equal(r.stdout, "");
      }
    });

    it("a clean export: exit 0, SARIF with no results", async () => {
      const file = path.join(tmp(), "clean.json");
      fs.writeFileSync(file, JSON.stringify(toStackExport(await planOf("accounts-prod"), "3")));
      const r = await mspInProcess(["policy", "check", file, "--category", "external", "--format", "sarif"]);
      assert.equal(r.status, 0, r.stderr);
      const log = assertSarif(r.stdout);
      assert.ok(log.runs[0]!.results!.every((x) => x.level === "warning"));
    });
  });

  describe("msp validate", () => {
    const invalid = path.join(REPO, "test", "fixtures", "invalid", "category-invalid");
    const markerLine = () => {
      const lines = fs.readFileSync(path.join(invalid, "demo", "service.yaml"), "utf8").split("\n");
      const i = lines.findIndex((l) => l.includes("# <-"));
      return { line: i + 1, col: lines[i]!.indexOf("production") + 1 };
    };

    it("--format sarif: each problem at its file:line:col, valid SARIF, exit 1; a valid tree gives no result, exit 0", async () => {
      const r = await mspInProcess(["--services", invalid, "validate", "--format", "sarif"]);
      assert.equal(r.status, 1, r.stderr);
      const log = assertSarif(r.stdout);
      const results = log.runs[0]!.results!;
      assert.equal(results.length, 1);
      const loc = results[0]!.locations![0]!.physicalLocation!;
      assert.equal(
        loc.artifactLocation!.uri,
        path.relative(REPO, path.join(invalid, "demo", "service.yaml")),
      );
      assert.equal(loc.artifactLocation!.uriBaseId, "%SRCROOT%");
      const { line, col } = markerLine();
      assert.deepEqual([loc.region!.startLine, loc.region!.startColumn], [line, col]);
      assert.match(results[0]!.message.text ?? "", /^environments\[0\]\.category: /);
      const ok = await mspInProcess(["validate", "--format", "sarif"]);
      assert.equal(ok.status, 0, ok.stderr);
      assert.deepEqual(assertSarif(ok.stdout).runs[0]!.results, []);
    });

    it("--format json: valid flag, counts and issues", async () => {
      const ok = await mspInProcess(["validate", "--format", "json"]);
      assert.equal(ok.status, 0);
      const good = JSON.parse(ok.stdout) as {
        kind: string;
        valid: boolean;
        services: number;
        issues: unknown[];
      };
      assert.equal(good.kind, "validate");
      assert.equal(good.valid, true);
      assert.equal(good.services, fs.readdirSync(path.join(REPO, "services")).length);
      assert.deepEqual(good.issues, []);
      const bad = await mspInProcess(["--services", invalid, "validate", "--format", "json"]);
      assert.equal(bad.status, 1);
      const report = JSON.parse(bad.stdout) as {
        valid: boolean;
        issues: { line: number; column: number; field: string }[];
      };
      assert.equal(report.valid, false);
      assert.deepEqual(
        report.issues.map((i) => [i.field, i.line, i.column]),
        [["environments[0].category", markerLine().line, markerLine().col]],
      );
    });
  });

  describe("which spec field a resource comes from", () => {
    const urn = (chain: string, name = "x") => `urn:pulumi:svc-prod::msp::${chain}::${name}`;
    it("by its own type first, then its components, nearest first; else the environment's id", () => {
      assert.deepEqual(typeChain(urn(`msp:gcp:PostgresInstance$${SQL}`)), [SQL, "msp:gcp:PostgresInstance"]);
      assert.deepEqual(specPathFor(urn(`msp:gcp:PostgresInstance$${SQL}`), 2), [
        "environments",
        2,
        "resources",
        "postgreSQL",
      ]);
      assert.deepEqual(specPathFor(urn("msp:gcp:Identities$gcp:projects/iAMMember:IAMMember"), 0), [
        "service",
        "iam",
      ]);
      assert.deepEqual(
        specPathFor(urn("msp:cloudflare:CloudflareDomain$gcp:compute/backendService:BackendService"), 1),
        ["environments", 1, "domain"],
      );
      assert.deepEqual(specPathFor(urn("gcp:storage/bucket:Bucket"), 1), ["environments", 1, "id"]);
      assert.deepEqual(specPathFor(undefined, 0), ["environments", 0, "id"]);
    });
  });
});
