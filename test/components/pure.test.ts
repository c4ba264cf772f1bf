import * as assert from "node:assert/strict";
import { cloudflareOnlyRules } from "../../plans/cloud-armor";
import { postgresDatabaseFlags } from "../../plans/postgres-settings";
import { dashboardLayout } from "../../components/monitoring/dashboard-layout";
import { imageProject } from "../../components/identities";
import { CLOUDFLARE_IPV4 } from "../../engine/cloud-model";

describe("component helpers (pure)", () => {
  it("builds Cloud Armor rules: Cloudflare ranges in groups of 10, then deny all", () => {
    const rules = cloudflareOnlyRules(CLOUDFLARE_IPV4);
    const allow = rules.filter((r) => r.action === "allow");
    // 15 ranges: Cloud Armor takes at most 10 per rule, so 10 then 5 (literals, not read back from the constant).
    assert.equal(CLOUDFLARE_IPV4.length, 15);
    assert.deepEqual(
      allow.map((r) => ("config" in r.match ? r.match.config.srcIpRanges.length : 0)),
      [10, 5],
    );
    assert.deepEqual(
      allow.map((r) => r.priority),
      [4000, 4001],
    );
    assert.equal(allow[0]!.description, "Allow Cloudflare edge nodes 0");
    const last = rules.at(-1)!;
    assert.equal(last.priority, 2147483647);
    assert.equal(last.action, "deny(403)");
  });

  it("runs the Log4Shell rule at a stated sensitivity: Google's Log4j signatures (levels 1 and 3), not level 4", () => {
    const waf = cloudflareOnlyRules(CLOUDFLARE_IPV4).find((r) => /Log4Shell/.test(r.description))!;
    assert.deepEqual(waf.match, {
      expr: { expression: "evaluatePreconfiguredWaf('cve-canary', {'sensitivity': 3})" },
    });
    assert.equal(waf.action, "deny(403)");
  });

  it("computes the Cloud SQL audit flags", () => {
    const flags = Object.fromEntries(
      postgresDatabaseFlags({ maxConnections: 200, logicalDecoding: true }).map((f) => [f.name, f.value]),
    );
    assert.equal(flags["cloudsql.iam_authentication"], "on");
    assert.equal(flags["max_connections"], "200");
    assert.equal(flags["cloudsql.logical_decoding"], "on");
    assert.equal(flags["log_min_duration_statement"], "-1");
    assert.equal(
      postgresDatabaseFlags({}).some((f) => f.name === "max_connections"),
      false,
    );
  });

  it("finds the registry project of private images", () => {
    assert.equal(imageProject("us.gcr.io/sourcegraph-dev/releaseregistry"), "sourcegraph-dev");
    assert.equal(
      imageProject("us-central1-docker.pkg.dev/sourcegraph-dev/cody-analytics/service"),
      "sourcegraph-dev",
    );
    assert.equal(imageProject("index.docker.io/sourcegraph/x"), undefined);
    // The same decision as the digest lookup (image-reference.ts): public mirrors and paths without an image
    // name have no project to grant pull access in.
    for (const image of ["mirror.gcr.io/library/nginx", "k8s.gcr.io/pause", "us-docker.pkg.dev/proj"])
      assert.equal(imageProject(image), undefined, image);
  });

  it("lays the dashboard out: a banner, then each group with two charts per row", () => {
    const layout = dashboardLayout("MSP Alerts - X (prod)", "h", [
      { title: "Container Alerts", policies: ["a", "b", "c"] },
    ]);
    assert.equal(layout.mosaicLayout.columns, 48);
    assert.equal(layout.mosaicLayout.tiles.length, 1 + 1 + 3);
    const at = (t: Record<string, unknown>) => [t.xPos ?? 0, t.yPos ?? 0];
    assert.deepEqual(layout.mosaicLayout.tiles.map(at), [
      [0, 0],
      [0, 4],
      [0, 4],
      [24, 4],
      [0, 20],
    ]);
  });

  it("lays the dashboard out without a zero-valued field, which the Monitoring API would drop", () => {
    const layout = dashboardLayout("MSP Alerts - X (prod)", "h", [
      { title: "Container Alerts", policies: ["a", "b", "c"] },
      { title: "Database Alerts", policies: ["d"] },
    ]);
    const zeros: string[] = [];
    const walk = (v: unknown, path: string) => {
      if (v === 0 || v === false || v === "" || (Array.isArray(v) && !v.length)) zeros.push(path);
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    };
    walk(layout, "");
    assert.deepEqual(zeros, []);
    // An expanded group is a collapsible group without `collapsed`.
    assert.deepEqual((layout.mosaicLayout.tiles[1]!.widget as Record<string, unknown>).collapsibleGroup, {});
  });
});
