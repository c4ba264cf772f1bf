/**
 * The schema's numeric and length limits as a table with a row per edge: the value at the limit loads, the
 * value just past it is reported at its field. A limit that moves by one fails here.
 */
import * as assert from "node:assert/strict";
import { SpecError } from "../../servicespec/loader";
import { demoSpec } from "../helpers/demo-spec";

/** YAML lines for the environment (`env`, top-level keys after it) and the service, or the project ID. */
interface Lines {
  env?: string;
  service?: string;
  projectID?: string;
}

interface Bound {
  label: string;
  /** The field reported past the limit. */
  field: string;
  at: Lines;
  past: Lines;
}

const pg = (fields: string) => `    resources:\n      postgreSQL: { databases: [a], ${fields} }\n`;
const ratio = (minutes: number) =>
  `monitoring:\n  alerts:\n    responseCodeRatios:\n      - { id: e, name: Errors, codeClass: 5xx, ratio: 0.5, durationMinutes: ${minutes} }\n`;

const BOUNDS: Bound[] = [
  {
    label: "project ID: 30 characters",
    field: "environments[0].projectID",
    at: { projectID: `demo-env-${"a".repeat(21)}` },
    past: { projectID: `demo-env-${"a".repeat(22)}` },
  },
  {
    label: "scaling.maxCount: 1000",
    field: "environments[0].instances.scaling.maxCount",
    at: { env: "      scaling: { maxCount: 1000 }\n" },
    past: { env: "      scaling: { maxCount: 1001 }\n" },
  },
  {
    label: "scaling.maxRequestConcurrency: 1000",
    field: "environments[0].instances.scaling.maxRequestConcurrency",
    at: { env: "      scaling: { maxRequestConcurrency: 1000 }\n" },
    past: { env: "      scaling: { maxRequestConcurrency: 1001 }\n" },
  },
  {
    label: "scaling.minCount: 0",
    field: "environments[0].instances.scaling.minCount",
    at: { env: "      scaling: { minCount: 0 }\n" },
    past: { env: "      scaling: { minCount: -1 }\n" },
  },
  {
    label: "Redis memoryGB: 300",
    field: "environments[0].resources.redis.memoryGB",
    at: { env: "    resources:\n      redis: { memoryGB: 300 }\n" },
    past: { env: "    resources:\n      redis: { memoryGB: 301 }\n" },
  },
  {
    label: "PostgreSQL maxConnections: at least 14",
    field: "environments[0].resources.postgreSQL.maxConnections",
    at: { env: pg("maxConnections: 14") },
    past: { env: pg("maxConnections: 13") },
  },
  {
    label: "PostgreSQL maxConnections: at most 262143",
    field: "environments[0].resources.postgreSQL.maxConnections",
    at: { env: pg("maxConnections: 262143") },
    past: { env: pg("maxConnections: 262144") },
  },
  {
    label: "PostgreSQL memoryGB: at least 4",
    field: "environments[0].resources.postgreSQL.memoryGB",
    at: { env: pg("memoryGB: 4") },
    past: { env: pg("memoryGB: 3") },
  },
  {
    label: "a job's deadlineSeconds: 86400",
    field: "environments[0].deadlineSeconds",
    at: { service: "  kind: job\n", env: "    deadlineSeconds: 86400\n" },
    past: { service: "  kind: job\n", env: "    deadlineSeconds: 86401\n" },
  },
  {
    label: "an alert's durationMinutes: 1440",
    field: "monitoring.alerts.responseCodeRatios[0].durationMinutes",
    at: { env: ratio(1440) },
    past: { env: ratio(1441) },
  },
];

function issuesOf(lines: Lines): string[] {
  try {
    demoSpec("test", lines.env ?? "", lines.service ?? "", lines.projectID);
    return [];
  } catch (e) {
    if (e instanceof SpecError) return e.issues.map((i) => `${i.field}: ${i.message}`);
    throw e;
  }
}

describe("schema bounds: the limit loads, one past it does not", () => {
  for (const b of BOUNDS)
    it(b.label, () => {
      assert.deepEqual(issuesOf(b.at), [], "at the limit");
      const past = issuesOf(b.past);
      assert.ok(
        past.some((i) => i.startsWith(`${b.field}: `)),
        `expected ${b.field} to be reported, got:\n${past.join("\n")}`,
      );
    });
});
