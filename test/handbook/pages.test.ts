import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { exampleResolved, exampleServices, fleetServices } from "../helpers/stacks";
import { renderIndexPage, renderServicePage } from "../../handbook/page";
import { architecture, renderSvg, toDot, toMermaid } from "../../handbook/diagram";
import { FLEET_SERVICES, mspInProcess as msp, REPO } from "../helpers/cli";
import { loadServices } from "../../servicespec/loader";
import { platformSettingsFor } from "../../program/config";
import { resolveService } from "../../resolve/environment";

/**
 * The structure of the seed handbook pages (MSP's own pages for releaseregistry and cody-analytics): headings,
 * table row names and alert headings, kept in test/fixtures/seed-pages.json so the golden tests run in every
 * checkout. Where the seeds themselves sit beside the repository (../shared/seeds), a test checks the fixture
 * still says what they say.
 */
const SEEDS = path.join(REPO, "..", "shared", "seeds");
const SEED_FIXTURE = path.join(REPO, "test", "fixtures", "seed-pages.json");
interface SeedStructure {
  headings: string[];
  tableKeys: string[];
  alerts: string[];
}
const seedFixture = () => JSON.parse(fs.readFileSync(SEED_FIXTURE, "utf8")) as Record<string, SeedStructure>;
const SEED_PREFIXES = ["000_", "001_"] as const;
const seedText = (prefix: string) => {
  const f = fs.existsSync(SEEDS) ? fs.readdirSync(SEEDS).find((x) => x.startsWith(prefix)) : undefined;
  return f ? fs.readFileSync(path.join(SEEDS, f), "utf8") : undefined;
};
const headings = (md: string) => md.split("\n").filter((l) => /^#{1,4} /.test(l) && !/^# For /.test(l));
const page = (id: string) => renderServicePage(exampleResolved(id));
/** A committed handbook file, or undefined when there is none. */
const committedPage = (file: string) => {
  const p = path.join(REPO, "docs", "services", file);
  return fs.existsSync(p) ? fs.readFileSync(p, "utf8") : undefined;
};
const STALE_PAGES = (files: readonly string[]) =>
  `${files.map((f) => `docs/services/${f}`).join(", ")} are missing or stale: run npx msp docs --all and commit docs/services/`;
/** The seed's headings, with MSP's Terraform Cloud section replaced by our Pulumi stack section. */
const expected = (seedHeadings: readonly string[]) =>
  seedHeadings.map((h) =>
    h.replace("Terraform Cloud", "Pulumi stack").replace("Architecture Diagram", "Architecture diagram"),
  );
const tableKeys = (md: string) =>
  new Set(
    md
      .split("\n")
      .map((l) => /^\| ([A-Za-z][A-Za-z ]+?) +\|/.exec(l)?.[1])
      .filter((x): x is string => !!x),
  );

const alertHeadings = (md: string) =>
  md
    .slice(md.indexOf("## Alert Policies"))
    .split("\n")
    .filter((l) => l.startsWith("#### "));
const structureOf = (md: string): SeedStructure => ({
  headings: headings(md),
  tableKeys: [...tableKeys(md)].sort(),
  alerts: alertHeadings(md),
});

function isSubsequence(needle: string[], hay: string[]): string | undefined {
  let i = 0;
  for (const h of hay) if (h === needle[i]) i++;
  return i === needle.length ? undefined : needle[i];
}

describe("handbook pages (golden structure of the seed pages)", () => {
  it("the seed structure fixture says what the seed pages say", function () {
    // Only where ../shared/seeds exists (the development machines); elsewhere the committed fixture stands in.
    // MSP_WRITE_SEED_FIXTURE=1 rewrites the fixture from the seeds.
    if (!seedText("000_")) this.skip();
    const actual = Object.fromEntries(SEED_PREFIXES.map((p) => [p, structureOf(seedText(p)!)]));
    if (process.env.MSP_WRITE_SEED_FIXTURE === "1")
      fs.writeFileSync(SEED_FIXTURE, JSON.stringify(actual, null, 2) + "\n");
    assert.deepEqual(seedFixture(), actual);
  });

  for (const [id, prefix] of [
    ["releaseregistry", "000_"],
    ["cody-analytics", "001_"],
  ] as const) {
    it(`${id}: every section of seed ${prefix} appears, in order`, () => {
      const missing = isSubsequence(expected(seedFixture()[prefix]!.headings), headings(page(id)));
      assert.equal(missing, undefined, `missing or out of order: ${missing}`);
    });

    it(`${id}: tables carry the seed's properties (Sentry and Entitle rows aside)`, () => {
      const ours = tableKeys(page(id));
      for (const k of seedFixture()[prefix]!.tableKeys)
        // "Alerts" is the older name of the "Alert policies" row; Sentry and Entitle are not part of this platform.
        if (!/^(Alerts|Sentry|Errors|Service errors|ACCESS|GCP project.*)$/.test(k))
          assert.ok(ours.has(k), `table row ${k}`);
    });
  }

  it("cody-analytics lists exactly the seed's alerts, External Uptime Check CRITICAL", () => {
    const ours = page("cody-analytics");
    assert.deepEqual(alertHeadings(ours), seedFixture()["001_"]!.alerts);
    assert.match(
      ours,
      /#### External Uptime Check\n\n> Service is failing to respond on https:\/\/cody-analytics\.sourcegraph\.com [^\n]*\n(> [^\n]*\n)*\nSeverity: CRITICAL/,
    );
  });

  it("has the Sentry rows, the access table, the service README, the filtered dashboard and the release commands", () => {
    const rr = page("releaseregistry");
    assert.match(
      rr,
      /\| Errors +\| \[Sentry `releaseregistry-prod`\]\(https:\/\/sourcegraph\.sentry\.io\/projects\/releaseregistry-prod\/\)/,
    );
    assert.match(rr, /\| Service errors +\| \[Sentry `releaseregistry-dev`\]/);
    assert.match(rr, /\| ACCESS +\| WHAT IT ALLOWS, AND HOW TO GET IT/);
    assert.match(
      rr,
      /\| Database, read-only +\| As `operatoraccess-[0-9a-f]{6}@releaseregistry-prod-5421\.iam\.gserviceaccount\.com`: CONNECT and SELECT on every table, present and future/,
    );
    assert.match(rr, /\| Database, write \(break glass\) +\| As the workload account `releaseregistry-sa@/);
    assert.match(rr, /'Engineering Projects' folder/);
    assert.match(page("accounts"), /'Managed Services' folder/);
    assert.match(rr, /\| Operator access +\| read-only: SELECT on every table, present and future/);
    // MSP's dashboard link: the project's dashboards filtered to custom ones.
    assert.match(
      rr,
      /\[Dashboard\]\(https:\/\/console\.cloud\.google\.com\/monitoring\/dashboards\?pageState=[^)]*Custom[^)]*&project=releaseregistry-prod-5421\)/,
    );
    const pings = page("pings");
    assert.match(
      pings,
      /<!-- Automatically generated from the service README: services\/pings\/README\.md -->\n\nPings receives/,
    );
    assert.doesNotMatch(pings, /^# Pings$/m, "the README's title line is the page's title already");
    assert.match(pings, /npx msp release create pings --tag <tag>/);
    assert.match(
      pings,
      /gcloud deploy releases promote --release=<release> --delivery-pipeline=pings-us-central1-rollout/,
    );
    assert.match(
      page("accounts"),
      /\| Publication `accounts_users` +\| `accounts`: `users`; slot `accounts_users_slot`/,
    );
    assert.match(page("usage-exporter"), /follows the image tag `main` \(`subscription` deploy\)/);
  });

  it("names the organisation only through the platform settings (another organisation's pages)", () => {
    const example = platformSettingsFor("", REPO);
    const acme = {
      ...example,
      folderNames: { test: "Acme Test", internal: "Acme Internal", external: "Acme Production" },
      slackWorkspaceUrl: "https://acme.slack.com",
      supportChannel: "platform-help",
      platformTeam: "Acme Platform",
      platformSupportHandle: "@platform-oncall",
      accessRequestProcess: "Acme Access",
      staffDomain: "acme.example",
      specRepositoryUrl: "https://git.acme.example/platform/services",
      handbookUrl: "https://git.acme.example/platform/docs",
    };
    // The example organisation's values of those settings, none of which may remain on acme's pages.
    const foreign = [
      ...Object.values(example.folderNames).map((name) => `'${name}' folder`),
      example.slackWorkspaceUrl,
      `#${example.supportChannel}`,
      `${example.platformTeam} team`,
      example.platformSupportHandle,
      example.accessRequestProcess,
      example.specRepositoryUrl,
      example.handbookUrl,
    ];
    for (const s of exampleServices()) {
      const md = renderServicePage(resolveService(s, acme));
      for (const text of foreign) assert.ok(!md.includes(text), `${s.spec.service.id}: ${text}`);
      assert.ok(md.includes("reach out to the Acme Platform team in #platform-help"), s.spec.service.id);
      assert.ok(md.includes("tag `@platform-oncall` in #platform-help"), s.spec.service.id);
      assert.ok(md.includes("(https://acme.slack.com/archives/alerts-"), s.spec.service.id);
      assert.ok(md.includes("access process (Acme Access)"), s.spec.service.id);
      assert.ok(
        md.includes("[specification](https://git.acme.example/platform/services/"),
        s.spec.service.id,
      );
      assert.match(md, /Request read access to the 'Acme (Test|Internal|Production)' folder/);
    }
    // authentication.sourcegraph: the staff's Workspace domain, in the table and in the diagram.
    const base = exampleServices().find((x) => x.spec.service.kind !== "job")!;
    const resolved = resolveService(base, acme);
    const env = resolved.environments[0]!;
    const staffEnv = {
      ...env,
      workload: {
        ...env.workload,
        service: {
          ...env.workload.service!,
          authentication: "sourcegraph" as const,
          invokers: ["domain:acme.example"],
        },
      },
    };
    const md = renderServicePage({ ...resolved, environments: [staffEnv] });
    assert.match(md, /\| Authentication +\| acme\.example GSuite users/);
    assert.ok(
      architecture(staffEnv).nodes.some(
        (n) => n.id === "users" && n.details.includes("acme.example accounts"),
      ),
      "the diagram's users node names the staff domain",
    );
  });

  it("has no Sentry rows when the platform has no Sentry organization", () => {
    const s = exampleServices().find((x) => x.spec.service.id === "releaseregistry")!;
    const settings = { ...platformSettingsFor("", REPO), sentryOrganization: undefined };
    const md = renderServicePage(resolveService(s, settings));
    assert.doesNotMatch(md, /Sentry|sentry\.io/);
  });

  it("has the overview, environment tables, resources, rollouts and Pulumi stack sections", () => {
    const pings = page("pings");
    assert.match(pings, /^# Pings infrastructure operations$/m);
    assert.match(pings, /\| Service kind +\| Cloud Run service/);
    assert.match(pings, /\| Stages +\| dev -> prod/);
    assert.match(pings, /\| Deployment type +\| `rollout`/);
    assert.match(pings, /#### prod Redis/);
    assert.match(pings, /#### prod Pulumi stack\n\nThis environment is the Pulumi stack `pings-prod`/);
    const rr = page("releaseregistry");
    assert.match(rr, /npx msp pg connect --write-access releaseregistry prod/);
    assert.match(rr, /\| Cloudflare WAF +\| ✅/);
    const job = page("usage-exporter");
    assert.match(job, /\| Service kind +\| Cloud Run job/);
    assert.match(job, /#### prod BigQuery dataset/);
    assert.match(job, /#### Cloud Run Job Execution Absence/);
    assert.match(page("accounts"), /\| Authentication +\| Restricted/);
  });

  it("has a Roll back section per environment with that environment's commands", () => {
    for (const [id, envs] of [
      ["releaseregistry", ["dev", "prod"]],
      ["pings", ["dev", "prod"]],
      ["usage-exporter", ["prod"]],
    ] as const) {
      // The tests' own fleet: the names and environments asserted here are its.
      const md = renderServicePage(
        resolveService(
          loadServices(FLEET_SERVICES).find((x) => x.spec.service.id === id)!,
          platformSettingsFor("", REPO),
        ),
      );
      for (const env of envs) {
        const section = md.split(`#### ${env} Roll back\n`)[1]?.split("\n#### ")[0];
        assert.ok(section, `${id}: no "${env} Roll back" section`);
        assert.match(section, new RegExp(`^npx msp rollback ${id} ${env}( --to TAG)?$`, "m"));
        const expected =
          id === "pings"
            ? new RegExp(
                `^gcloud deploy targets rollback ${env}-us-central1 --delivery-pipeline=pings-us-central1-rollout `,
                "m",
              )
            : id === "usage-exporter"
              ? /^gcloud run jobs update usage-exporter-prod-us-central1 --image=\S+:TAG /m
              : new RegExp(
                  `^gcloud run services update-traffic releaseregistry-${env}-us-central1 --to-revisions=REVISION=100 `,
                  "m",
                );
        assert.match(section, expected);
      }
    }
    assert.match(
      page("releaseregistry"),
      /Make it last: set environments\[1\]\.deploy\.manual\.tag \(services\/releaseregistry\/service\.yaml/,
    );
  });

  it("a canary stage gets its section (watch, advance phase by phase, abort) and its diagram edge", () => {
    const loaded = loadServices(FLEET_SERVICES).find((x) => x.spec.service.id === "pings")!;
    const stages = loaded.spec.rollout!.stages.map((st) =>
      st.environment === "prod" ? { ...st, canary: { percentages: [5, 25, 60] } } : st,
    );
    const spec = { ...loaded.spec, rollout: { ...loaded.spec.rollout!, stages } };
    const resolved = resolveService({ ...loaded, spec }, platformSettingsFor("", REPO));
    const md = renderServicePage(resolved);
    const section = md.split("### Canary (prod)\n")[1]?.split("\n## ")[0];
    assert.ok(section, "no Canary (prod) section");
    assert.doesNotMatch(md, /### Canary \(dev\)/);
    assert.match(section, /gets 5%, then 25%, then 60%, then 100% of requests/);
    const phases = [
      ...section.matchAll(/^gcloud deploy rollouts advance ROLLOUT .* --phase-id=(\S+)$/gm),
    ].map((m) => m[1]);
    assert.deepEqual(phases, ["canary-25", "canary-60", "stable"]);
    assert.match(
      section,
      /^gcloud deploy rollouts cancel ROLLOUT --release=RELEASE --delivery-pipeline=pings-us-central1-rollout /m,
    );
    assert.match(
      section,
      /^gcloud deploy targets rollback prod-us-central1 --delivery-pipeline=pings-us-central1-rollout /m,
    );
    const prod = resolved.environments.find((e) => e.envId === "prod")!;
    assert.ok(
      architecture(prod).edges.some((e) => e.from === "deploy" && e.label === "canary 5%, 25%, 60%, 100%"),
      "the diagram's delivery edge names the phases",
    );
    // The prod rollback says how to abort a canary in progress.
    assert.match(
      md.split("#### prod Roll back")[1]!,
      /A canary stage: .* gcloud deploy rollouts cancel ROLLOUT/,
    );
  });

  it("renders diagrams with the architecture's nodes, as SVG and Mermaid", async () => {
    const g = architecture(exampleResolved("accounts").environments[0]!);
    const labels = g.nodes.map((n) => n.title);
    for (const n of [
      "Users",
      "Cloudflare WAF",
      "HTTPS load balancer",
      "Cloud Armor",
      "Cloud Run service",
      "Cloud SQL PostgreSQL",
      "Memorystore Redis",
      "Secret Manager",
      "Cloud Monitoring",
    ])
      assert.ok(labels.includes(n), n);
    const svg = await renderSvg(toDot(g, "accounts-prod"));
    assert.match(svg, /^<\?xml[\s\S]*<svg[\s\S]*Cloud Armor[\s\S]*<\/svg>\s*$/);
    assert.match(toMermaid(g), /^flowchart LR\n/);
  });

  it("committed pages are up to date for every service in services/ (npx msp docs --all)", () => {
    const expected = new Map(
      exampleServices().map((s) => [`${s.spec.service.id}.md`, page(s.spec.service.id)]),
    );
    expected.set(
      "index.md",
      renderIndexPage(exampleServices().map((s) => exampleResolved(s.spec.service.id))),
    );
    const stale = [...expected].filter(([file, text]) => committedPage(file) !== text).map(([file]) => file);
    // One line that names the fix: CI runs this test on every pull request.
    assert.deepEqual(stale, [], STALE_PAGES(stale));
  });

  it("msp docs <service> writes its page, an SVG per environment and the index of every service", async function () {
    this.timeout(60_000); // two runs of the command (in-process: test/cli/in-process.e2e.test.ts checks docs agrees with the bundle)
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "msp-docs-"));
    const r = await msp(["docs", "pings", "--services", FLEET_SERVICES, "--out", out]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(out).sort(), ["index.md", "pings-dev.svg", "pings-prod.svg", "pings.md"]);
    // The index a new service's pull request commits is the one `msp docs --all` writes: every service.
    const settings = platformSettingsFor("", REPO);
    assert.equal(
      fs.readFileSync(path.join(out, "index.md"), "utf8"),
      renderIndexPage(loadServices(FLEET_SERVICES).map((s) => resolveService(s, settings))),
    );
    assert.match(
      fs.readFileSync(path.join(out, "index.md"), "utf8"),
      /accounts[\s\S]*pings[\s\S]*usage-exporter/,
    );
    assert.equal((await msp(["docs", "nope", "--services", FLEET_SERVICES, "--out", out])).status, 2);
  });
});

describe("handbook page: service.description and service.notionPageID (issue 25.4)", () => {
  const pings = () => fleetServices().find((s) => s.spec.service.id === "pings")!;
  const page = (loaded: ReturnType<typeof pings>) =>
    renderServicePage(resolveService(loaded, platformSettingsFor("", REPO)));

  it("shows the description and links the Notion page in the service overview", () => {
    const text = page(pings());
    assert.match(text, /\| Description +\| Receives telemetry pings from Sourcegraph instances\. +\|/);
    assert.match(
      text,
      /\| Notion operations page \| \[https:\/\/www\.notion\.so\/7d3b1e5c9a2f4c8e8b6d0a4f2c1e3b5d\]\(https:\/\/www\.notion\.so\/7d3b1e5c9a2f4c8e8b6d0a4f2c1e3b5d\) +\|/,
    );
  });

  it("each changes the page, and a spec without notionPageID has no Notion row", () => {
    const base = pings();
    const other = (service: Partial<typeof base.spec.service>) => ({
      ...base,
      spec: { ...base.spec, service: { ...base.spec.service, ...service } },
    });
    const text = page(base);
    const described = page(other({ description: "Something else entirely." }));
    assert.notEqual(described, text, "the description is on the page");
    assert.match(described, /Something else entirely\./);
    const withoutNotion = page(other({ notionPageID: undefined }));
    assert.doesNotMatch(withoutNotion, /Notion/);
    assert.notEqual(withoutNotion, text);
  });
});
