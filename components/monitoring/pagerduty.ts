import * as pagerduty from "@pulumi/pagerduty";
import * as pulumi from "@pulumi/pulumi";
import { childOptions, statefulOptions } from "../options";
import {
  PAGERDUTY_ALERT_CREATION,
  PAGERDUTY_INTEGRATION_NAME,
  PAGERDUTY_INTEGRATION_TYPE,
} from "../../plans/pagerduty-plan";

export interface PagerDutyPagingArgs {
  /** PagerDuty REST API token, read from the shared secrets project at deploy time (kept a Pulumi secret). */
  readonly token: pulumi.Input<string>;
  /** One service per owner: its name, description and the escalation policy (by name, which must exist). */
  readonly services: readonly {
    readonly owner: string;
    readonly name: string;
    readonly description: string;
    readonly escalationPolicy: string;
  }[];
  /** Lift `protect` from the services (spec `allowDestroys`): deleting one deletes its incidents. Defaults to false. */
  readonly allowDestroys?: boolean;
}

/**
 * Provisioned paging: per owner a PagerDuty service on the owner's escalation policy, with an Events API v2
 * integration whose key (a Pulumi secret) the notification channels give Cloud Monitoring. Replaces MSP's
 * Opsgenie service and API integration per owner.
 */
export class PagerDutyPaging extends pulumi.ComponentResource {
  /** The Events API v2 integration key per owner (Pulumi secrets). */
  public readonly integrationKeys: Readonly<Record<string, pulumi.Output<string>>>;
  /** The PagerDuty service's page per owner. */
  public readonly serviceUrls: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: PagerDutyPagingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:monitoring:PagerDutyPaging", name, {}, opts);
    const provider = new pagerduty.Provider(
      `${name}-provider`,
      { token: pulumi.secret(args.token) },
      { parent: this },
    );
    const keys: Record<string, pulumi.Output<string>> = {};
    const urls: Record<string, pulumi.Output<string>> = {};
    for (const s of args.services) {
      const policy = pagerduty.getEscalationPolicyOutput(
        { name: s.escalationPolicy },
        { parent: this, provider },
      );
      const service = new pagerduty.Service(
        `${name}-${s.owner}`,
        {
          name: s.name,
          description: s.description,
          escalationPolicy: policy.id,
          alertCreation: PAGERDUTY_ALERT_CREATION,
        },
        statefulOptions(this, args.allowDestroys ?? false, { provider }),
      );
      const integration = new pagerduty.ServiceIntegration(
        `${name}-${s.owner}-integration`,
        { name: PAGERDUTY_INTEGRATION_NAME, service: service.id, type: PAGERDUTY_INTEGRATION_TYPE },
        childOptions(this, { provider, additionalSecretOutputs: ["integrationKey"] }),
      );
      keys[s.owner] = pulumi.secret(integration.integrationKey);
      urls[s.owner] = service.htmlUrl;
    }
    this.integrationKeys = keys;
    this.serviceUrls = urls;
    this.registerOutputs({ integrationKeys: this.integrationKeys, serviceUrls: this.serviceUrls });
  }
}
