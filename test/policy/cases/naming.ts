/** Fixtures of the "Naming and metadata" policies. */
import { res, UNKNOWN, violation, type PolicyCase } from "../../helpers/policy";
import { T } from "../../../policy/types";
import { COMPONENT, GCP_PROJECT, LABELS, OTHER, REDIS, RUN, SQL, STACK, sqlWith } from "./fixtures";

const ZONES = { allowedZones: ["sourcegraph.com", "sgdev.org"] };

export const NAMING_CASES: Record<string, PolicyCase> = {
  "msp-stack-name-format": {
    compliant: [STACK],
    violations: [
      violation(
        "bad name",
        [
          res(
            "pulumi:pulumi:Stack",
            {},
            { urn: "urn:pulumi:Prod_Stack::msp::pulumi:pulumi:Stack::x", parent: undefined },
          ),
        ],
        /not named/,
      ),
      violation("missing tag", [STACK], /msp:category is missing/, { tags: new Map() }),
    ],
    // Only the stack resource's URN carries the stack name: other resources' names are not stack names.
    notApplicable: [
      STACK,
      res(T.sql, SQL, { name: "Not_A_Stack", urn: "urn:pulumi:Prod_Stack::msp::msp:gcp:X$x::Not_A_Stack" }),
    ],
  },
  "msp-resource-name-prefix": {
    compliant: [
      res(T.runService, RUN),
      res("gcp:serviceaccount/account:Account", { accountId: "svc-sa-abc" }),
      // The limits themselves are allowed: 49 characters for Cloud Run, 6 and 30 for account IDs.
      res(T.runService, { name: `svc-${"x".repeat(45)}` }),
      res("gcp:serviceaccount/account:Account", { accountId: "svc-sa" }),
      res("gcp:serviceaccount/account:Account", { accountId: `svc-${"a".repeat(26)}` }),
    ],
    violations: [
      violation("not RFC 1035", [res(T.redis, { ...REDIS, name: "Redis_1" })], /lowercase/),
      violation(
        "one over the limit",
        [res(T.runService, { name: `svc-${"x".repeat(46)}` })],
        /is 50 characters; allowed 1 to 49/,
      ),
      violation(
        "account one over the limit",
        [res("gcp:serviceaccount/account:Account", { accountId: `svc-${"a".repeat(27)}` })],
        /allowed 6 to 30/,
      ),
      violation(
        "too short account",
        [res("gcp:serviceaccount/account:Account", { accountId: "sa" })],
        /allowed 6 to 30/,
      ),
      violation("no service prefix", [res(T.runService, { name: "other-prod" })], /must start with "svc-"/),
      violation("job without prefix", [res(T.runJob, { name: "other-job" })], /must start with "svc-"/),
      violation("SQL name", [res(T.sql, { ...SQL, name: "Bad Name" })], /lowercase/),
    ],
    unknown: [res(T.runService, { name: UNKNOWN })],
    notApplicable: [OTHER],
  },
  "msp-required-labels": {
    compliant: [res(T.runService, RUN), res(T.sql, SQL), res(T.project, GCP_PROJECT)],
    violations: [
      violation(
        "missing",
        [res(T.project, { labels: { service: "svc" } })],
        /Missing labels: environment, category, msp/,
      ),
      violation("sql user labels", sqlWith("settings.userLabels", undefined), /Missing labels/),
      violation("msp not true", [res(T.redis, { labels: { ...LABELS, msp: "yes" } })], /msp must be "true"/),
      violation("table without labels", [res(T.table, {})], /Missing labels/),
    ],
    unknown: [res(T.project, { labels: UNKNOWN })],
    notApplicable: [OTHER],
  },
  "msp-component-parentage": {
    compliant: [STACK, COMPONENT, res("gcp:storage/bucket:Bucket", {}, { parent: COMPONENT.urn })],
    violations: [
      violation(
        "at stack level",
        [STACK, res("gcp:storage/bucket:Bucket", {}, { name: "stray", parent: STACK.urn })],
        /"stray" is not inside an msp component/,
      ),
    ],
    notApplicable: [STACK],
  },
  "cloudflare-dns-allowed-zone": {
    compliant: [res(T.dnsRecord, { name: "svc.sgdev.org" })],
    baseConfig: ZONES,
    violations: [
      violation("apex", [res(T.dnsRecord, { name: "sourcegraph.com" })], /zone apex/),
      violation("other zone", [res(T.dnsRecord, { name: "svc.evil.com" })], /not in an allowed zone/),
      violation(
        "a suffix that is not the zone",
        [res(T.dnsRecord, { name: "svc.notsgdev.org" })],
        /not in an allowed zone/,
      ),
    ],
    unknown: [res(T.dnsRecord, { name: UNKNOWN })],
    notApplicable: [OTHER],
    config: [
      ["custom zones", { allowedZones: ["evil.com"] }, [res(T.dnsRecord, { name: "svc.evil.com" })], false],
      [
        "a zone dropped",
        { allowedZones: ["sgdev.org"] },
        [res(T.dnsRecord, { name: "a.sourcegraph.com" })],
        true,
      ],
      [
        "no generated config: fail closed",
        { allowedZones: [] },
        [res(T.dnsRecord, { name: "a.sgdev.org" })],
        true,
      ],
    ],
  },
};
