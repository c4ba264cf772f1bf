/**
 * Provisioned paging through PagerDuty (`alerting.paging: pagerduty`, an extension of MSP's format), as data.
 * MSP creates per owner an Opsgenie service and an API integration whose key Cloud Monitoring posts to; here
 * each owner gets a PagerDuty service on the escalation policy named after the owner, with an Events API v2
 * integration, and its integration key becomes the service key of a Cloud Monitoring `pagerduty` channel.
 */

/**
 * The integration type of the Events API v2 (terraform-provider-pagerduty's `service_integration.type`), which
 * needs the service to create alerts, not only incidents (`alert_creation`; the provider refuses otherwise).
 */
export const PAGERDUTY_INTEGRATION_TYPE = "events_api_v2_inbound_integration";
export const PAGERDUTY_ALERT_CREATION = "create_alerts_and_incidents";
export const PAGERDUTY_INTEGRATION_NAME = "Google Cloud Monitoring";

export interface PlannedPagerDutyService {
  readonly owner: string;
  /** The escalation policy paged: the one named after the owner team (looked up by name; it must exist). */
  readonly escalationPolicy: string;
  /** Unique in the PagerDuty account: one per service, environment and owner. */
  readonly name: string;
  readonly description: string;
}

/** One PagerDuty service per owner of the service environment, in the owners' order. */
export function pagerDutyServices(
  serviceName: string,
  envId: string,
  owners: readonly string[],
  description: string,
): PlannedPagerDutyService[] {
  return owners.map((owner) => ({
    owner,
    escalationPolicy: owner,
    name: `${serviceName} - ${envId} (${owner})`,
    description,
  }));
}
