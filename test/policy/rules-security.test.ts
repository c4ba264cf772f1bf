/** The "Security" policies: compliant, each failure mode, unknown, not applicable, config and exemption cases. */
import { POLICIES } from "../../policy/policies";
import { describePolicies } from "../helpers/policy";
import { SECURITY_CASES } from "./cases/security";

describe("policies: Security", () => {
  describePolicies(
    POLICIES.filter((p) => p.meta.group === "Security"),
    SECURITY_CASES,
  );
});
