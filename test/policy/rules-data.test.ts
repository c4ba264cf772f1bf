/** The "Backups and data safety" policies: compliant, each failure mode, unknown, not applicable, config and exemption cases. */
import { POLICIES } from "../../policy/policies";
import { describePolicies } from "../helpers/policy";
import { DATA_CASES } from "./cases/data";

describe("policies: Backups and data safety", () => {
  describePolicies(
    POLICIES.filter((p) => p.meta.group === "Backups and data safety"),
    DATA_CASES,
  );
});
