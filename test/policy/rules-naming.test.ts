/** The "Naming and metadata" policies: compliant, each failure mode, unknown, not applicable, config and exemption cases. */
import { POLICIES } from "../../policy/policies";
import { describePolicies } from "../helpers/policy";
import { NAMING_CASES } from "./cases/naming";

describe("policies: Naming and metadata", () => {
  describePolicies(
    POLICIES.filter((p) => p.meta.group === "Naming and metadata"),
    NAMING_CASES,
  );
});
