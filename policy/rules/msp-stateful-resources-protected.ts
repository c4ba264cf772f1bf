import { stackPolicy, levels } from "../define";
import { PROTECTED_TYPES } from "../../platform/resource-types";
import { ALLOW_DESTROYS_LABEL, destroysAllowed } from "../allow-destroys";
import { T } from "../types";

const PROTECTED: ReadonlySet<string> = new Set(PROTECTED_TYPES);
/** Protected types with no labels: they take the mark of the labelled stateful resource beside them. */
const UNLABELLED: ReadonlySet<string> = new Set([T.sqlDatabase]);

/**
 * A stack policy because a Cloud SQL database has no labels: whether allowDestroys marked it is read on the
 * Cloud SQL instance of the same component (PostgresInstance), which only the stack's view shows.
 */
export const mspStatefulResourcesProtected = stackPolicy({
  name: "msp-stateful-resources-protected",
  description: `Projects, databases, Redis, BigQuery and secrets have Pulumi's protect option set, unless allowDestroys labelled them ${ALLOW_DESTROYS_LABEL}: true.`,
  severity: "high",
  remediation:
    "Create them through the msp components (protect follows allowDestroys); set allowDestroys: true only to tear down.",
  meta: {
    group: "Backups and data safety",
    levels: levels("D", "A", "M"),
    frameworks: ["MSP allowDestroys", "Pulumi protect"],
  },
  validate: (args, report) => {
    for (const r of args.resources) {
      if (!PROTECTED.has(r.type) || (r.opts as { protect?: boolean }).protect) continue;
      const marked = UNLABELLED.has(r.type)
        ? args.resources.some(
            (o) =>
              o !== r &&
              o.parent !== undefined &&
              o.parent.urn === r.parent?.urn &&
              PROTECTED.has(o.type) &&
              destroysAllowed(o.props),
          )
        : destroysAllowed(r.props);
      if (!marked)
        report(`${r.type} "${r.name}" is not protected: a replacement or deletion would lose it.`, r.urn);
    }
  },
});
