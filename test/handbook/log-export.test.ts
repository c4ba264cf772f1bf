/** The handbook's "Logs in BigQuery" section (issue 24.5): the dataset and each table, linked in the console. */
import * as assert from "node:assert/strict";
import { exampleResolved } from "../helpers/stacks";
import { renderServicePage } from "../../handbook/page";

describe("handbook: logs in BigQuery", () => {
  const md = renderServicePage(exampleResolved("releaseregistry"));

  it("links the dataset and every table of an environment that exports its logs", () => {
    const section = md.split("#### prod Logs in BigQuery\n")[1]?.split("\n#### ")[0];
    assert.ok(section, "no prod Logs in BigQuery section");
    assert.ok(
      section.includes(
        "[`logs`](https://console.cloud.google.com/bigquery?project=releaseregistry-prod-5421&ws=!1m4!1m3!3m2!1sreleaseregistry-prod-5421!2slogs)",
      ),
    );
    const tables = [...section.matchAll(/\[`(\w+)`\]\((https:[^)]+)\)/g)].slice(1);
    assert.deepEqual(
      tables.map((m) => m[1]),
      ["requests", "run_googleapis_com_requests", "run_googleapis_com_stdout", "run_googleapis_com_stderr"],
    );
    for (const [, table, url] of tables)
      assert.equal(
        url,
        `https://console.cloud.google.com/bigquery?project=releaseregistry-prod-5421&ws=!1m5!1m4!4m3!1sreleaseregistry-prod-5421!2slogs!3s${table}`,
      );
    assert.match(section, /FROM `releaseregistry-prod-5421\.logs\.run_googleapis_com_stderr`/);
  });

  it("says nothing of it for an environment that does not", () => {
    assert.doesNotMatch(md, /#### dev Logs in BigQuery/);
  });
});
