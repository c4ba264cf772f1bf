/**
 * Project creation first checks that the caller may attach the billing account
 * (`billing.resourceAssociations.create` on it; magic-modules resource_google_project.go,
 * `resourceGoogleProjectCheckPreRequisites`): a placeholder account does not exist, so the first call of the
 * first deploy fails and nothing is created.
 */
import { finding, type FirstDeployRule } from "../finding";
import { PROJECT_TYPE, str, type PlanGraph } from "../plan-graph";

/** Cloud Billing account IDs: three groups of six hexadecimal characters. */
const FORMAT = /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/;
/** The example IDs of Google's documentation. */
const DOCUMENTED_EXAMPLES = new Set(["012345-567890-ABCDEF", "0X0X0X-0X0X0X-0X0X0X", "XXXXXX-XXXXXX-XXXXXX"]);

/** Why `account` cannot be a real billing account, or undefined when it may be one. */
export function placeholderBillingAccount(account: string): string | undefined {
  const id = account.replace(/^billingAccounts\//, "");
  if (DOCUMENTED_EXAMPLES.has(id.toUpperCase())) return "the documentation's example";
  if (!FORMAT.test(id)) return "not a billing account ID: three groups of six hexadecimal characters";
  if (id.split("-").every((g) => /^(.)\1*$/.test(g))) return "each group is one repeated character";
  return undefined;
}

export const billingAccountExists: FirstDeployRule = {
  name: "billing-account-exists",
  source: "magic-modules resource_google_project.go resourceGoogleProjectCheckPreRequisites",
  check(graph: PlanGraph) {
    return graph.ofType(PROJECT_TYPE).flatMap((p) => {
      const account = str(p.inputs?.billingAccount);
      const why = account ? placeholderBillingAccount(account) : "none is set";
      if (!why) return [];
      return [
        finding(this, p, {
          key: account,
          problem: `billing account ${account ?? "(none)"} cannot exist (${why}): project creation fails first, so nothing is created.`,
          fix: `set msp:billingAccount in Pulumi.yaml (platform settings are project-level) to the organisation's billing account (gcloud billing accounts list).`,
        }),
      ];
    });
  },
};
