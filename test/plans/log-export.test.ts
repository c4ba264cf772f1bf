/** Logs in BigQuery (issue 24.5): which logs an environment exports, and the tables they land in. */
import * as assert from "node:assert/strict";
import { logExportFilter, logStreams, logTable } from "../../plans/log-export";

describe("log export plan", () => {
  it("names each table as Cloud Logging does: the log ID with / and . written _", () => {
    assert.equal(logTable("requests"), "requests");
    assert.equal(logTable("run.googleapis.com/stdout"), "run_googleapis_com_stdout");
    assert.equal(logTable("cloudaudit.googleapis.com/activity"), "cloudaudit_googleapis_com_activity");
  });

  it("a service behind a logging load balancer: requests of both, stdout and stderr", () => {
    const streams = logStreams({ projectId: "p-prod-1234", kind: "service", loadBalancerLogs: true });
    assert.deepEqual(
      streams.map((s) => [s.table, s.filter]),
      [
        ["requests", 'resource.type="http_load_balancer" AND logName="projects/p-prod-1234/logs/requests"'],
        [
          "run_googleapis_com_requests",
          'resource.type="cloud_run_revision" AND logName="projects/p-prod-1234/logs/run.googleapis.com%2Frequests"',
        ],
        [
          "run_googleapis_com_stdout",
          'resource.type="cloud_run_revision" AND logName="projects/p-prod-1234/logs/run.googleapis.com%2Fstdout"',
        ],
        [
          "run_googleapis_com_stderr",
          'resource.type="cloud_run_revision" AND logName="projects/p-prod-1234/logs/run.googleapis.com%2Fstderr"',
        ],
      ],
    );
  });

  it("no load balancer logs, no requests table from it; a job has no request logs at all", () => {
    const svc = logStreams({ projectId: "p", kind: "service", loadBalancerLogs: false });
    assert.deepEqual(
      svc.map((s) => s.table),
      ["run_googleapis_com_requests", "run_googleapis_com_stdout", "run_googleapis_com_stderr"],
    );
    const job = logStreams({ projectId: "p", kind: "job", loadBalancerLogs: true });
    assert.deepEqual(
      job.map((s) => s.table),
      ["run_googleapis_com_stdout", "run_googleapis_com_stderr"],
    );
    assert.match(job[0]!.filter, /^resource\.type="cloud_run_job" AND /);
  });

  it("one filter takes every stream's entries", () => {
    const streams = logStreams({ projectId: "p", kind: "job", loadBalancerLogs: false });
    assert.equal(
      logExportFilter(streams),
      '(resource.type="cloud_run_job" AND logName="projects/p/logs/run.googleapis.com%2Fstdout") OR (resource.type="cloud_run_job" AND logName="projects/p/logs/run.googleapis.com%2Fstderr")',
    );
  });
});
