/** The "Cost and hygiene" policies: compliant, each failure mode, unknown, not applicable, config and exemption cases. */
import { POLICIES } from "../../policy/policies";
import { describePolicies } from "../helpers/policy";
import { COST_CASES } from "./cases/cost";

describe("policies: Cost and hygiene", () => {
  describePolicies(
    POLICIES.filter((p) => p.meta.group === "Cost and hygiene"),
    COST_CASES,
  );
});
