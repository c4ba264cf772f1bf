/**
 * Fleet-wide invariants (issue 23, finding 1): a hostname, project ID, BigQuery dataset or stack name belongs to
 * one service environment, checked wherever the fleet is seen and by a single stack's load against the rest.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadServices, loadServicesForStack, SpecError, type SpecIssue } from "../../servicespec/loader";
import { claimsOfSpecText, collisions } from "../../servicespec/fleet-claims";
import { REPO } from "../helpers/cli";

/** A services folder with a copy of the example `accounts` and one more spec. */
function fleetWith(id: string, text: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-fleet-"));
  const dir = path.join(root, "services");
  fs.cpSync(path.join(REPO, "services", "accounts"), path.join(dir, "accounts"), { recursive: true });
  fs.cpSync(path.join(REPO, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
  fs.mkdirSync(path.join(dir, id));
  fs.writeFileSync(path.join(dir, id, "service.yaml"), text);
  return dir;
}

function newcomer(
  id: string,
  opts: { env?: string; project?: string; subdomain?: string; zone?: string; extra?: string } = {},
) {
  const env = opts.env ?? "prod";
  return `service:
  id: ${id}
  owners: [core-services]
  description: A newcomer.
  notionPageID: 0123456789abcdef0123456789abcdef
build:
  image: us.gcr.io/sourcegraph-dev/${id}
  source: { repo: github.com/sourcegraph/${id}, dir: "." }
environments:
  - id: ${env}
    projectID: ${opts.project ?? `${id}-${env}-a1b2`}
    category: internal
    deploy: { type: manual }
    domain:
      type: cloudflare
      cloudflare:
        subdomain: ${opts.subdomain ?? id}
        zone: ${opts.zone ?? "sourcegraph.com"}
    instances:
      resources: { cpu: 1, memory: 1Gi }
${opts.extra ?? ""}`;
}

function problems(f: () => unknown): SpecIssue[] {
  try {
    f();
  } catch (e) {
    if (e instanceof SpecError) return e.issues;
    throw e;
  }
  return [];
}

/** Line and column of the first line of `file` containing `text` (1-based), where a value starts. */
function positionOf(file: string, text: string): string {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const i = lines.findIndex((l) => l.includes(text));
  return `${i + 1}:${lines[i]!.indexOf(text) + 1}`;
}

describe("fleet-wide invariants (servicespec/fleet-claims.ts)", () => {
  it("refuses a new service that claims accounts.sourcegraph.com, naming accounts-prod and where", () => {
    const dir = fleetWith("evil", newcomer("evil", { subdomain: "accounts" }));
    const found = problems(() => loadServices(dir, { onWarning: () => {} }));
    const evilFile = path.join(dir, "evil", "service.yaml");
    const accountsFile = path.join(dir, "accounts", "service.yaml");
    const evil = found.filter((i) => i.file === evilFile);
    assert.equal(evil.length, 1, JSON.stringify(found));
    assert.equal(evil[0]!.field, "environments[0].domain.cloudflare.subdomain");
    assert.equal(`${evil[0]!.line}:${evil[0]!.col}`, positionOf(evilFile, "accounts"));
    assert.match(
      evil[0]!.message,
      new RegExp(
        `^hostname accounts\\.sourcegraph\\.com is already claimed by accounts environment prod \\(${accountsFile.replace(/[.]/g, "\\.")}:${positionOf(accountsFile, "subdomain: accounts").replace(/:(\d+)$/, (_, c: string) => `:${Number(c) + "subdomain: ".length}`)}\\)`,
      ),
    );
    // The single stack's preview loads the rest of the fleet's claims too.
    const single = problems(() => loadServicesForStack(dir, "evil-prod"));
    assert.equal(single.length, 1);
    assert.match(
      single[0]!.message,
      /accounts\.sourcegraph\.com is already claimed by accounts environment prod/,
    );
  });

  it("still validates accounts-prod and a newcomer with a name of its own (the control)", () => {
    const dir = fleetWith("evil", newcomer("evil", { subdomain: "evil" }));
    assert.deepEqual(
      problems(() => loadServices(dir, { onWarning: () => {} })),
      [],
    );
    assert.equal(loadServicesForStack(dir, "accounts-prod").length, 1);
    assert.equal(loadServicesForStack(dir, "evil-prod").length, 1);
  });

  it("refuses the same hostname written differently (upper case, a trailing dot) in a spec read unvalidated", () => {
    const claims = claimsOfSpecText(
      "x.yaml",
      newcomer("x", { subdomain: "Accounts", zone: "sourcegraph.com." }),
    );
    assert.ok(claims.some((c) => c.kind === "hostname" && c.key === "accounts.sourcegraph.com"));
  });

  it("refuses one project ID in two services (a + b and a-b + c both pass the spec's own project ID rule)", () => {
    const dir = fleetWith("a", newcomer("a", { env: "b", project: "a-b-c-1111" }));
    fs.mkdirSync(path.join(dir, "a-b"));
    const other = path.join(dir, "a-b", "service.yaml");
    fs.writeFileSync(other, newcomer("a-b", { env: "c", project: "a-b-c-1111" }));
    const p = problems(() => loadServices(dir, { onWarning: () => {} }));
    assert.deepEqual(
      p.map((i) => `${path.basename(path.dirname(i.file))} ${i.field} ${i.message.split(" (")[0]}`).sort(),
      [
        "a environments[0].projectID project ID a-b-c-1111 is already claimed by a-b environment c",
        "a-b environments[0].projectID project ID a-b-c-1111 is already claimed by a environment b",
      ],
    );
    assert.ok(
      p.some((i) => i.message.includes(`(${other}:11:16)`)),
      JSON.stringify(p),
    );
    // Control: another suffix, no clash.
    fs.writeFileSync(other, newcomer("a-b", { env: "c", project: "a-b-c-2222" }));
    assert.deepEqual(
      problems(() => loadServices(dir, { onWarning: () => {} })),
      [],
    );
  });

  it("refuses one stack name from an environment ID with '-' (a + b-c and a-b + c: issue 25.2)", () => {
    const dir = fleetWith("a", newcomer("a", { env: "b-c", subdomain: "one" }));
    fs.mkdirSync(path.join(dir, "a-b"));
    fs.writeFileSync(
      path.join(dir, "a-b", "service.yaml"),
      newcomer("a-b", { env: "c", subdomain: "two", project: "a-b-c-c3d4" }),
    );
    const p = problems(() => loadServices(dir, { onWarning: () => {} }));
    assert.deepEqual(
      p.map((i) => `${path.basename(path.dirname(i.file))} ${i.field} ${i.message.split(" (")[0]}`).sort(),
      [
        "a environments[0].id stack name a-b-c is already claimed by a-b environment c",
        "a-b environments[0].id stack name a-b-c is already claimed by a environment b-c",
      ],
    );
    // Control: the environment ID with '-' alone loads.
    fs.rmSync(path.join(dir, "a-b"), { recursive: true });
    assert.deepEqual(
      problems(() => loadServices(dir, { onWarning: () => {} })),
      [],
    );
  });

  it("refuses two environments' datasets of one name in one project; another name or project is fine", () => {
    const withDataset = (id: string, project: string, dataset?: string) =>
      claimsOfSpecText(
        `${id}.yaml`,
        newcomer(id, {
          subdomain: id,
          extra: `    resources:
      bigQueryDataset:
        projectID: ${project}
${dataset ? `        datasetID: ${dataset}\n` : ""}        tables: []
`,
        }),
      );
    const clash = collisions(
      withDataset("x", "shared-data", "events"),
      withDataset("y", "shared-data", "events"),
    );
    assert.deepEqual(
      clash.map((c) => [c.claim.kind, c.claim.key]),
      [["dataset", "shared-data:events"]],
    );
    assert.deepEqual(
      collisions(withDataset("x", "shared-data", "events"), withDataset("y", "shared-data")),
      [],
    );
    assert.deepEqual(
      collisions(withDataset("x", "shared-data", "events"), withDataset("y", "other", "events")),
      [],
    );
  });

  it("collisions: both sides of a clash between services are reported, a clash within one service is the spec's own rule", () => {
    const at = { file: "f", line: 1, col: 1, path: [] };
    const a = { kind: "stack" as const, key: "a-b-c", stack: "a-b-c", serviceId: "a", ...at };
    const b = { kind: "stack" as const, key: "a-b-c", stack: "a-b-c", serviceId: "a-b", ...at };
    assert.equal(collisions([a, b]).length, 2);
    assert.equal(collisions([a, { ...a }]).length, 0);
    assert.equal(collisions([a], [b]).length, 1);
    assert.equal(collisions([a], [{ ...b, key: "a-b-d" }]).length, 0);
  });
});
