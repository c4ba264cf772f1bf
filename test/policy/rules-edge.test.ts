/** The "WAF and edge" policies: compliant, each failure mode, unknown, not applicable, config and exemption cases. */
import { POLICIES } from "../../policy/policies";
import { describePolicies } from "../helpers/policy";
import { EDGE_CASES } from "./cases/edge";

describe("policies: WAF and edge", () => {
  describePolicies(
    POLICIES.filter((p) => p.meta.group === "WAF and edge"),
    EDGE_CASES,
  );
});
