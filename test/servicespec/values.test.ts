import { CronExpressionParser } from "cron-parser";
import * as assert from "node:assert/strict";
import {
  cronGapRule,
  maxCronGapMinutes,
  memoryToMiB,
  isSecretReference,
  parseSecretReference,
  parseEnvTemplate,
  renderTemplate,
} from "../../servicespec/values";
import { renderEnvTemplate } from "../../resolve/container";

describe("spec values", () => {
  it("parses Kubernetes memory quantities", () => {
    assert.equal(memoryToMiB("512Mi"), 512);
    assert.equal(memoryToMiB("2Gi"), 2048);
    assert.equal(memoryToMiB("1G"), 1e9 / 1024 / 1024);
    assert.equal(memoryToMiB("lots"), undefined);
    assert.equal(memoryToMiB("1.5Gi"), undefined);
  });

  it("measures the largest gap between cron runs with a real cron parser", () => {
    assert.equal(maxCronGapMinutes("*/15 * * * *"), 15);
    assert.equal(maxCronGapMinutes("0 */2 * * *"), 120);
    assert.equal(maxCronGapMinutes("0 9 * * 1-5"), 3 * 24 * 60); // Friday 09:00 to Monday 09:00
    assert.equal(maxCronGapMinutes("0 0 * * 0"), 7 * 24 * 60);
  });

  it("gives the largest gap of MSP's 672 runs, also where it samples one week of a weekly schedule", () => {
    // MSP's rule, sampled in full: the next 672 runs from the same fixed date.
    const of672 = (cron: string) => {
      const it = CronExpressionParser.parse(cron, { currentDate: new Date(Date.UTC(2024, 0, 1)), tz: "UTC" });
      const runs = Array.from({ length: 672 }, () => it.next().getTime());
      return Math.max(...runs.slice(1).map((t, i) => t - runs[i]!)) / 60000;
    };
    // Weekly schedules (gaps within a day and over a weekend; the largest gap the one that ends a week after the
    // first run, Wednesday to Monday; a whole week) and one that is not (January to June: a gap of months).
    const schedules = ["*/20 8-17 * * 1-5", "0 9 * * 1,3", "0 0 * * 0", "0 6 * 1-6 *"];
    for (const cron of schedules) assert.equal(maxCronGapMinutes(cron), of672(cron), cron);
  });

  it("accepts gaps from 15 minutes to 8 days only", () => {
    assert.equal(cronGapRule("*/15 * * * *"), undefined);
    assert.match(cronGapRule("*/14 * * * *")!, /at least 15 minutes/);
    assert.equal(cronGapRule("0 0 * * 0"), undefined);
    assert.match(cronGapRule("0 0 1 * *")!, /at most 8 days/);
    assert.match(cronGapRule("61 * * * *")!, /not a valid cron/);
    assert.match(cronGapRule("0 0 * * * *")!, /5-field/);
  });

  it("checks Secret Manager references like MSP", () => {
    assert.equal(isSecretReference("MY_SECRET"), undefined);
    assert.equal(isSecretReference("projects/p/secrets/s"), undefined);
    assert.match(isSecretReference("project/p/secrets/s")!, /projects\//);
    assert.match(isSecretReference("projects/p/secrets/s/versions/1")!, /version/);
    assert.match(isSecretReference("projects/p/s")!, /projects\/<project>\/secrets/);
    assert.deepEqual(parseSecretReference("projects/p/secrets/s"), { project: "p", name: "s" });
    assert.deepEqual(parseSecretReference("S"), { name: "S" });
  });

  it("parses env templates: the two variables, with suggestions for typos", () => {
    assert.deepEqual(parseEnvTemplate("https://{{ .ServiceDnsName }}/{{.ProjectID}}"), {
      parts: [{ text: "https://" }, { variable: "ServiceDnsName" }, { text: "/" }, { variable: "ProjectID" }],
    });
    assert.deepEqual(parseEnvTemplate("plain"), { parts: [{ text: "plain" }] });
    const error = (v: string) => {
      const r = parseEnvTemplate(v);
      return "error" in r ? r.error : undefined;
    };
    assert.match(
      error("{{ .ProjectId }}")!,
      /unknown template variable \.ProjectId \(did you mean \{\{ \.ProjectID \}\}\?\)/,
    );
    assert.match(error("{{ .ServiceDNSName }}")!, /did you mean \{\{ \.ServiceDnsName \}\}/);
    assert.match(
      error("{{ .Database }}")!,
      /unknown template variable \.Database \(the template knows only \{\{ \.ProjectID \}\}/,
    );
    assert.match(error("{{ printf .ProjectID }}")!, /unsupported template expression/);
    assert.match(error("a {{ .ProjectID")!, /unclosed "\{\{" at character 3/);
    assert.ok(error(`{{ .${"x".repeat(10_000)} }}`)!.length < 300, "long names are cut");
  });

  it("renders env templates with the same parser the validator uses (components share it)", () => {
    const vars = { ProjectID: "p", ServiceDnsName: "x.y" };
    assert.equal(renderTemplate("{{ .ServiceDnsName }}:{{ .ProjectID }}", vars), "x.y:p");
    for (const bad of ["{{ .ProjectId }}", "{{ printf .ProjectID }}", "{{ .ProjectID"]) {
      const problem = parseEnvTemplate(bad);
      assert.ok("error" in problem);
      assert.throws(
        () => renderEnvTemplate(bad, vars),
        new RegExp(problem.error.slice(0, 20).replace(/[{}.()]/g, "\\$&")),
      );
    }
  });
});
