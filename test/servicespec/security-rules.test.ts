/** Spec-level security rules: what a service owner may ask for, checked at load time with file:line:col. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadServices, parseServiceSpec, SpecError, type SpecIssue } from "../../servicespec/loader";
import {
  dangerousPermissionReason,
  dangerousRoleReason,
  hostnameProblem,
  policySettingsNear,
  secretProjectProblem,
  subdomainZoneProblem,
  imageRegistryProblem,
  datasetProjectProblem,
} from "../../servicespec/security-rules";
import { parsePlatformSettings } from "../../platform/settings";
import { platformSettingsFor } from "../../program/config";
import { WORKLOAD_ROLES, OPERATOR_ROLES } from "../../components/identities";
import { REPO } from "../helpers/cli";

const enc = (s: string) => new TextEncoder().encode(s);

function spec(extra: { service?: string; env?: string; zone?: string } = {}) {
  return `service:
  id: demo
  owners: [core-services]
  description: Demo.
  notionPageID: 0123456789abcdef0123456789abcdef
${extra.service ?? ""}build:
  image: us.gcr.io/sourcegraph-dev/demo
  source: { repo: github.com/sourcegraph/demo, dir: "." }
environments:
  - id: prod
    projectID: demo-prod-a1b2
    category: external
    deploy: { type: manual }
    domain:
      type: cloudflare
      cloudflare: { subdomain: demo, zone: ${extra.zone ?? "sourcegraph.com"} }
    instances:
      resources: { cpu: 1, memory: 1Gi }
${extra.env ?? ""}`;
}

function issuesAt(file: string, text: string): SpecIssue[] {
  try {
    parseServiceSpec(file, enc(text));
  } catch (e) {
    if (e instanceof SpecError) return e.issues;
    throw e;
  }
  return [];
}
const FILE = path.join(REPO, "services", "demo", "service.yaml");
const issues = (text: string) => issuesAt(FILE, text);

describe("spec security rules", () => {
  describe("IAM roles and permissions", () => {
    it("allows what the platform grants and plain data roles", () => {
      for (const role of [
        ...WORKLOAD_ROLES,
        ...OPERATOR_ROLES,
        "roles/bigquery.jobUser",
        "roles/pubsub.publisher",
      ])
        assert.equal(dangerousRoleReason(role), undefined, role);
      for (const p of ["bigquery.tables.getData", "storage.objects.get", "storage.buckets.list"])
        assert.equal(dangerousPermissionReason(p), undefined, p);
    });

    it("refuses basic, impersonation, admin, owner and service-agent roles", () => {
      for (const role of [
        "roles/owner",
        "roles/editor",
        "roles/viewer",
        "roles/iam.serviceAccountUser",
        "roles/iam.serviceAccountTokenCreator",
        "roles/iam.workloadIdentityUser",
        "roles/cloudbuild.builds.editor",
        "roles/resourcemanager.projectIamAdmin",
        "roles/iam.securityAdmin",
        "roles/deploymentmanager.editor",
        "roles/storage.admin",
        "roles/compute.instanceAdmin.v1",
        "roles/bigquery.dataOwner",
        "roles/run.serviceAgent",
      ])
        assert.ok(dangerousRoleReason(role), role);
    });

    it("refuses escalation permissions", () => {
      for (const p of [
        "resourcemanager.projects.setIamPolicy",
        "iam.serviceAccounts.setIamPolicy",
        "storage.buckets.setIamPolicy",
        "iam.serviceAccountKeys.create",
        "iam.serviceAccounts.getAccessToken",
        "iam.serviceAccounts.signBlob",
        "iam.serviceAccounts.signJwt",
        "iam.serviceAccounts.implicitDelegation",
        "iam.serviceAccounts.getOpenIdToken",
        "iam.serviceAccounts.actAs",
        "iam.roles.create",
        "iam.roles.update",
        "orgpolicy.policy.set",
        "deploymentmanager.deployments.create",
        "cloudbuild.builds.create",
        "storage.*",
      ])
        assert.ok(dangerousPermissionReason(p), p);
    });

    it("reports each at its line, with the reason", () => {
      const found = issues(
        spec({
          service: `  iam:
    roles: [roles/bigquery.jobUser, roles/cloudbuild.builds.editor]
    permissions:
      - bigquery.tables.getData
      - iam.serviceAccounts.getAccessToken
`,
        }),
      );
      const role = found.find((i) => i.field === "service.iam.roles[1]");
      assert.ok(role, JSON.stringify(found));
      assert.equal(role.line, 7);
      assert.match(
        role.message,
        /roles\/cloudbuild\.builds\.editor runs builds as the Cloud Build service account/,
      );
      const perm = found.find((i) => i.field === "service.iam.permissions[1]");
      assert.ok(perm);
      assert.equal(perm.line, 10);
      assert.match(perm.message, /mints access tokens/);
      assert.equal(found.length, 2);
    });
  });

  describe("secrets", () => {
    const settings = {
      sharedSecretsProject: "msp-platform-secrets",
      secretProjects: ["sourcegraph-secrets"],
    };
    it("allows the environment's project and the allowlist, never the shared project", () => {
      assert.equal(secretProjectProblem("demo-prod-a1b2", "demo-prod-a1b2", settings), undefined);
      assert.equal(secretProjectProblem("sourcegraph-secrets", "demo-prod-a1b2", settings), undefined);
      assert.match(secretProjectProblem("msp-platform-secrets", "x", settings)!, /shared secrets project/);
      assert.match(
        secretProjectProblem("msp-platform-secrets", "x", {
          ...settings,
          secretProjects: ["msp-platform-secrets"],
        })!,
        /shared secrets project/,
        "the shared project stays refused even if allowlisted",
      );
      assert.match(secretProjectProblem("pings-prod-2f4f", "x", settings)!, /msp:secretProjects/);
      assert.match(
        secretProjectProblem("sourcegraph-secrets", "x", { secretProjects: [] })!,
        /msp:secretProjects/,
      );
    });

    it("reads the settings from the Pulumi project above the spec", () => {
      const s = policySettingsNear(path.join(REPO, "services", "accounts"));
      assert.equal(s.sharedSecretsProject, "msp-platform-secrets");
      assert.deepEqual(s.secretProjects, ["sourcegraph-secrets"]);
      assert.deepEqual(s.allowedZones, ["sourcegraph.com", "sgdev.org"]);
    });

    it("reports secretEnv and secretVolumes references at their line", () => {
      const found = issues(
        spec({
          env: `    secretEnv:
      OWN: DEMO_TOKEN
      ALLOWED: projects/sourcegraph-secrets/secrets/IDP
      SELF: projects/demo-prod-a1b2/secrets/X
      SLACK: projects/msp-platform-secrets/secrets/SLACK_OPERATOR_BOT_TOKEN
    secretVolumes:
      key:
        mountPath: /etc/demo/key.pem
        secret: projects/pings-prod-2f4f73edf1db/secrets/SIGNING_KEY
`,
        }),
      );
      assert.deepEqual(
        found.map((i) => [i.field, i.line]),
        [
          ["environments[0].secretEnv.SLACK", 23],
          ["environments[0].secretVolumes.key.secret", 27],
        ],
      );
    });
  });

  describe("domains", () => {
    it("accepts plain names and refuses wildcard, IDN and look-alike labels", () => {
      assert.equal(hostnameProblem("release-registry"), undefined);
      assert.equal(hostnameProblem("a.b"), undefined);
      assert.match(hostnameProblem("*")!, /wildcard/);
      assert.match(hostnameProblem("*.demo")!, /wildcard/);
      assert.match(hostnameProblem("xn--e1afmkfd")!, /punycode/);
      assert.match(hostnameProblem("\u0430ccounts")!, /non-ASCII/, "Cyrillic a");
      assert.match(hostnameProblem("paypa\u04cf")!, /non-ASCII/, "Cyrillic palochka");
      assert.match(hostnameProblem("se\u200brver")!, /non-ASCII/, "zero-width space");
      assert.match(hostnameProblem("Demo")!, /upper-case/);
      assert.match(hostnameProblem("-demo")!, /not a DNS label/);
      assert.match(hostnameProblem("a".repeat(64))!, /at most 63/);
    });

    it("refuses a subdomain that already holds the zone (a host name where the record name goes)", () => {
      const zones = ["sourcegraph.com", "sgdev.org"];
      assert.equal(subdomainZoneProblem("orders", "sourcegraph.com", zones), undefined);
      assert.equal(subdomainZoneProblem("sourcegraph", "sourcegraph.com", zones), undefined);
      assert.equal(subdomainZoneProblem("api.orders", "sourcegraph.com", zones), undefined);
      assert.match(
        subdomainZoneProblem("orders.sourcegraph.com", "sourcegraph.com", zones)!,
        /already ends with the zone sourcegraph\.com: .*orders\.sourcegraph\.com\.sourcegraph\.com; write subdomain: orders$/,
      );
      assert.match(
        subdomainZoneProblem("Orders.SourceGraph.com", "sourcegraph.com")!,
        /write subdomain: orders/,
      );
      assert.match(subdomainZoneProblem("sourcegraph.com", "sourcegraph.com")!, /name a subdomain/);
      assert.match(
        subdomainZoneProblem("orders.sgdev.org", "sourcegraph.com", zones)!,
        /ends with the zone sgdev\.org, but the zone is sourcegraph\.com: .*write subdomain: orders and zone: sgdev\.org/,
      );
      assert.match(
        subdomainZoneProblem("orders.sourcegraph.com.eu", "sourcegraph.com")!,
        /contains the zone/,
      );
    });

    it("reports the subdomain and the zone at their line", () => {
      assert.deepEqual(
        issues(spec()).map((i) => i.field),
        [],
      );
      const wildcard = issues(spec().replace("subdomain: demo", 'subdomain: "*"'));
      assert.deepEqual(
        wildcard.map((i) => [i.field, i.line]),
        [["environments[0].domain.cloudflare.subdomain", 16]],
      );
      const zone = issues(spec({ zone: "evil.example" }));
      assert.match(
        zone[0]!.message,
        /"evil.example" is not an allowed zone \(msp:allowedZones in Pulumi.yaml/,
      );
    });
  });

  describe("platform settings", () => {
    it("follows msp:allowedZones and msp:secretProjects of the Pulumi project the spec is in", () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-sec-"));
      fs.writeFileSync(
        path.join(root, "Pulumi.yaml"),
        `name: msp
runtime: nodejs
config:
  msp:allowedZones:
    value: [example.org]
  msp:sharedSecretsProject:
    value: platform-creds
  msp:secretProjects:
    value: [team-secrets]
  msp:imageRegistries:
    value: [us.gcr.io/sourcegraph-dev]
`,
      );
      const dir = path.join(root, "services", "demo");
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, "service.yaml");
      const withSecret = (zone: string, project: string) =>
        spec({ zone, env: `    secretEnv:\n      K: projects/${project}/secrets/K\n` });
      assert.deepEqual(issuesAt(file, withSecret("example.org", "team-secrets")), []);
      assert.deepEqual(
        issuesAt(file, withSecret("sourcegraph.com", "platform-creds")).map((i) => i.field),
        ["environments[0].domain.cloudflare.zone", "environments[0].secretEnv.K"],
      );
      fs.writeFileSync(file, withSecret("example.org", "team-secrets"));
      assert.equal(loadServices(path.join(root, "services")).length, 1);
    });

    it("without a Pulumi project, allows no other project", () => {
      const s = policySettingsNear(fs.mkdtempSync(path.join(os.tmpdir(), "msp-none-")));
      // The working directory is the repository: its Pulumi.yaml applies, as for the Pulumi CLI.
      assert.deepEqual(s.secretProjects, ["sourcegraph-secrets"]);
    });
  });

  describe("other projects: registries, datasets, moving tags (issue 23, finding 4)", () => {
    const withImage = (image: string) =>
      spec().replace("image: us.gcr.io/sourcegraph-dev/demo", `image: ${image}`);
    const found = (text: string, file = FILE) => issuesAt(file, text).map((i) => `${i.field}: ${i.message}`);

    it("refuses images outside msp:imageRegistries: another service's project, the platform's, Docker Hub", () => {
      for (const [image, why] of [
        ["gcr.io/accounts-prod-csvc/accounts", /is not in an allowed registry, .*\(msp:imageRegistries/],
        [
          "us-central1-docker.pkg.dev/msp-platform-secrets/r/x",
          /"msp-platform-secrets" is the platform's shared secrets project/,
        ],
        ["index.docker.io/someone-else/tool", /is not in an allowed registry/],
        ["us.gcr.io/sourcegraph-dev-evil/x", /is not in an allowed registry/],
      ] as const) {
        const got = found(withImage(image));
        assert.equal(got.length, 1, `${image}: ${got.join("; ")}`);
        assert.match(got[0]!, new RegExp(`^build\\.image: ${why.source}`), image);
      }
      // The control: an allowlisted project and an allowlisted Docker Hub namespace.
      assert.deepEqual(found(withImage("us-central1-docker.pkg.dev/sourcegraph-ci/demo/demo")), []);
      assert.deepEqual(found(withImage("index.docker.io/sourcegraph/demo")), []);
    });

    it("never the shared secrets project, even allowlisted; the platform refuses such an allowlist", () => {
      const settings = {
        imageRegistries: ["us-docker.pkg.dev/platform-creds"],
        sharedSecretsProject: "platform-creds",
        secretProjects: [],
      };
      assert.match(
        imageRegistryProblem("us-docker.pkg.dev/platform-creds/r/x", settings)!,
        /shared secrets project/,
      );
      const platform = {
        ...platformSettingsFor("", REPO),
        imageRegistries: [],
        datasetProjects: [],
        sharedSecretsProject: "platform-creds",
      };
      assert.throws(
        () => parsePlatformSettings({ ...platform, imageRegistries: ["us-docker.pkg.dev/platform-creds"] }),
        /msp:imageRegistries: must not list the shared secrets project/,
      );
      assert.throws(
        () => parsePlatformSettings({ ...platform, datasetProjects: ["platform-creds"] }),
        /msp:datasetProjects: must not list the shared secrets project/,
      );
    });

    it("a dataset goes in the environment's project or an allowlisted one, never another team's or the platform's", () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-ds-"));
      fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
      const dir = path.join(root, "services", "demo");
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "events.bigquerytable.json"), '[{"name": "id", "type": "STRING"}]');
      const file = path.join(dir, "service.yaml");
      const withDataset = (project: string) =>
        spec({
          env: `    resources:\n      bigQueryDataset:\n        projectID: ${project}\n        tables: [events]\n`,
        });
      const got = found(withDataset("accounts-prod-csvc"), file);
      assert.equal(got.length, 1, got.join("; "));
      assert.match(
        got[0]!,
        /^environments\[0\]\.resources\.bigQueryDataset\.projectID: "accounts-prod-csvc" is neither the environment's project/,
      );
      assert.match(found(withDataset("msp-platform-secrets"), file).join(), /shared secrets project/);
      assert.deepEqual(found(withDataset("demo-prod-a1b2"), file), []);
      assert.equal(
        datasetProjectProblem("shared-data", "demo-prod-a1b2", {
          secretProjects: [],
          datasetProjects: ["shared-data"],
        }),
        undefined,
      );
      fs.rmSync(root, { recursive: true, force: true });
    });

    it("an external environment never runs latest; a chosen tag, or latest in internal, is fine", () => {
      const withTag = (tag: string, category = "external") =>
        spec()
          .replace("deploy: { type: manual }", `deploy: { type: manual, manual: { tag: ${tag} } }`)
          .replace("category: external", `category: ${category}`);
      assert.deepEqual(found(withTag("latest")), [
        'environments[0].deploy.manual.tag: "latest" names no particular image: an external environment runs a tag or digest chosen for it',
      ]);
      assert.deepEqual(found(withTag("5.4.1")), []);
      assert.deepEqual(found(withTag("latest", "internal")), []);
    });
  });

  it("every service in services/ still loads under these rules (one per folder)", () => {
    const folders = fs
      .readdirSync(path.join(REPO, "services"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    assert.deepEqual(
      loadServices(path.join(REPO, "services"))
        .map((s) => s.spec.service.id)
        .sort(),
      folders,
    );
  });
});
