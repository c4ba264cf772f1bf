/**
 * The handbook and the plan agree, for every example stack: what the page tells an operator (Redis tier,
 * PostgreSQL HA and PITR, the domain, the alert list) is read from the rendered Markdown and compared with
 * what the stack program registers. Both come from the resolved environment; this checks that neither side
 * re-derives a value on its own.
 */
import * as assert from "node:assert/strict";
import { renderServicePage } from "../../handbook/page";
import { exampleResolved, exampleServices, get, ofType, planOf } from "../helpers/stacks";

/** The rows of the Markdown tables in `md`: first cell to second cell (links reduced to their text). */
function rows(md: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of md.split("\n")) {
    const m = /^\| ([^|]+?) +\| (.+?) +\|$/.exec(line);
    if (m) out.set(m[1]!, m[2]!.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1"));
  }
  return out;
}

/** The lines of an environment's section (`### <env>` up to the next environment or chapter). */
function section(page: string, envId: string): string {
  const lines = page.split("\n");
  const start = lines.indexOf(`### ${envId}`);
  assert.ok(start >= 0, `no section for ${envId}`);
  // A heading outside code blocks: a `# comment` line of a bash block (the rollback commands) is not one.
  let fenced = false;
  const end = lines.findIndex((l, i) => {
    if (l.startsWith("```")) fenced = !fenced;
    return i > start && !fenced && /^##?#? /.test(l);
  });
  return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

/** A section's sub-section `#### <env> <title>`. */
function part(md: string, title: string): string | undefined {
  const at = md.indexOf(`#### ${title}\n`);
  if (at < 0) return undefined;
  const next = md.indexOf("\n#### ", at + 1);
  return md.slice(at, next < 0 ? undefined : next);
}

/** Alert names the page lists for an environment (all environments unless it says which). */
function pageAlerts(page: string, envIds: string[], envId: string): string[] {
  const chapter = page.slice(page.indexOf("## Alert Policies"));
  const out: string[] = [];
  for (const block of chapter.split("\n#### ").slice(1)) {
    const name = block.split("\n")[0]!;
    const only = /\nEnvironments: (.+)\n/.exec(block)?.[1]?.split(", ") ?? envIds;
    if (only.includes(envId)) out.push(name);
  }
  return out.sort();
}

describe("the handbook and the plan agree on every example stack", () => {
  for (const s of exampleServices()) {
    const envIds = s.spec.environments.map((e) => e.id);
    for (const envId of envIds) {
      const stack = `${s.spec.service.id}-${envId}`;
      it(`${stack}: Redis tier, PostgreSQL HA and PITR, domain, alerts`, async () => {
        const page = renderServicePage(exampleResolved(s.spec.service.id));
        const env = section(page, envId);
        const plan = await planOf(stack);

        const redis = ofType(plan, "gcp:redis/instance:Instance");
        const redisPart = part(env, `${envId} Redis`);
        assert.equal(redis.length, redisPart ? 1 : 0, "a Redis section exactly when there is an instance");
        if (redisPart) assert.equal(rows(redisPart).get("Tier"), redis[0]!.inputs.tier);

        const sql = ofType(plan, "gcp:sql/databaseInstance:DatabaseInstance");
        const sqlPart = part(env, `${envId} PostgreSQL instance`);
        assert.equal(sql.length, sqlPart ? 1 : 0, "a PostgreSQL section exactly when there is an instance");
        if (sqlPart) {
          const r = rows(sqlPart);
          const availability = get(sql[0]!.inputs, "settings.availabilityType");
          assert.equal(
            r.get("High availability"),
            availability === "REGIONAL" ? "yes (REGIONAL)" : "no (ZONAL)",
          );
          const pitr = get(sql[0]!.inputs, "settings.backupConfiguration.pointInTimeRecoveryEnabled");
          assert.equal(r.get("Point-in-time recovery"), pitr === true ? "yes" : "no");
        }

        const records = ofType(plan, "cloudflare:index/dnsRecord:DnsRecord");
        assert.equal(rows(env).get("Domain"), records[0]?.inputs.name, "the domain the DNS record names");

        const created = ofType(plan, "gcp:monitoring/alertPolicy:AlertPolicy")
          .map((p) => String(p.inputs.displayName))
          .sort();
        assert.ok(created.length > 3, "the plan has alert policies");
        assert.deepEqual(
          pageAlerts(page, envIds, envId),
          created,
          "the page lists the alerts the plan creates",
        );
      });
    }
  }
});
