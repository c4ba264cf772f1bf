/**
 * The stack outputs MSP also writes to Secret Manager in the environment's project, one secret per output,
 * named `<stack>_<variable>` (MSP's `stacks.OutputSecretID`): `sg msp` and custom Terraform read them there
 * (for example `iam_cloud_run_service_account` and `iam_operator_access_service_account` for `sg msp pg
 * connect`). MSP emits them from its `iam`, `cloudrun` and `monitoring` stacks (`stack.StackLocals.Add` and
 * `AddSlice`; a list is one comma-separated value): 14 always, plus the Cloud SQL connection name with
 * PostgreSQL, the Cloud Deploy releaser account in a rollout's final stage, and one channel list per owner.
 * Sources: MSP `internal/stack/stacks.go` (StackLocals), `stacks/stacks.go` (OutputSecretID),
 * `internal/stack/options/googleprovider/google.go` (`project_id` in every stack), `stacks/iam/iam.go`,
 * `stacks/cloudrun/cloudrun.go`, `internal/stack/monitoring/monitoring.go`.
 */

/** Where an output's value comes from: a value the resolver knows, or a resource of the stack. */
export type StackOutputSource =
  | { readonly from: "value"; readonly value: string }
  | { readonly from: "projectId" | "workloadEmail" | "operatorEmail" | "releaserEmail" | "sqlConnectionName" }
  | { readonly from: "channels"; readonly severity: "warning" | "critical" }
  /** The Slack channels and this owner's paging channel (MSP: the owner's Opsgenie channel). */
  | { readonly from: "ownerChannels"; readonly owner: string };

export interface StackOutputSecret {
  /** `<stack>_<variable>`: the Secret Manager secret ID. */
  readonly secretId: string;
  /** MSP's stack that emits it. */
  readonly stack: "iam" | "cloudrun" | "monitoring";
  readonly variable: string;
  /** MSP's description of the output. */
  readonly description: string;
  readonly source: StackOutputSource;
}

export interface StackOutputsInput {
  readonly serviceId: string;
  readonly serviceName: string;
  readonly envId: string;
  readonly region: string;
  readonly cloudRunName: string;
  /** The image tag the deploy resolved (MSP's `resolved_image_tag`). */
  readonly imageTag: string;
  /** `service.owners`, in spec order (the index names the output, as in MSP). */
  readonly owners: readonly string[];
  readonly alertDescriptionSuffix: string;
  readonly postgres: boolean;
  /** The environment is the final stage of a rollout (MSP creates the releaser account there). */
  readonly finalRolloutStage: boolean;
}

/** MSP's secret ID of a stack output. */
export const outputSecretId = (stack: StackOutputSecret["stack"], variable: string) => `${stack}_${variable}`;

const PROJECT_ID_DESCRIPTION = "Primary Google Project to use for all GCP resources";

/** Every stack output secret of an environment, in MSP's stack order (iam, cloudrun, monitoring). */
export function stackOutputSecrets(input: StackOutputsInput): StackOutputSecret[] {
  const out: StackOutputSecret[] = [];
  const add = (
    stack: StackOutputSecret["stack"],
    variable: string,
    description: string,
    source: StackOutputSource,
  ) => out.push({ secretId: outputSecretId(stack, variable), stack, variable, description, source });
  const value = (v: string): StackOutputSource => ({ from: "value", value: v });

  add("iam", "project_id", PROJECT_ID_DESCRIPTION, { from: "projectId" });
  if (input.finalRolloutStage)
    add(
      "iam",
      "cloud_deploy_releaser_service_account_id",
      "Service Account ID for Cloud Deploy release creation - intended for workload identity federation in CI",
      { from: "releaserEmail" },
    );
  add(
    "iam",
    "cloud_run_service_account",
    "Service Account email used as Cloud Run resource workload identity",
    {
      from: "workloadEmail",
    },
  );
  add(
    "iam",
    "operator_access_service_account",
    "Service Account email used for operator access to other resources",
    { from: "operatorEmail" },
  );

  add("cloudrun", "project_id", PROJECT_ID_DESCRIPTION, { from: "projectId" });
  if (input.postgres)
    add("cloudrun", "cloudsql_connection_name", "Cloud SQL database connection name", {
      from: "sqlConnectionName",
    });
  add("cloudrun", "cloud_run_resource_name", "Cloud Run resource name", value(input.cloudRunName));
  add("cloudrun", "cloud_run_location", "Cloud Run resource location", value(input.region));
  add("cloudrun", "image_tag", "Resolved tag of service image to deploy", value(input.imageTag));

  add("monitoring", "project_id", PROJECT_ID_DESCRIPTION, { from: "projectId" });
  // MSP sorts the severity levels: CRITICAL before WARNING.
  for (const severity of ["critical", "warning"] as const)
    add(
      "monitoring",
      `notifications_${severity}`,
      `Google Monitoring notification channels for ${severity}-level alerts`,
      { from: "channels", severity },
    );
  input.owners.forEach((owner, i) =>
    add("monitoring", `notifications_owner_${i}`, `Google Monitoring notification channel IDs for ${owner}`, {
      from: "ownerChannels",
      owner,
    }),
  );
  add("monitoring", "service_id", "Service ID", value(input.serviceId));
  add("monitoring", "environment_id", "Environment ID", value(input.envId));
  add("monitoring", "service_name", "Human-readable service name", value(input.serviceName));
  add(
    "monitoring",
    "alert_description_suffix",
    "Supplemental MSP help text intended to be added to alert descriptions",
    value(input.alertDescriptionSuffix),
  );
  return out;
}
