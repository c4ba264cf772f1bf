/**
 * PagerDuty (@pulumi/pagerduty): a service per paged owner, its Events API v2 integration, and the escalation
 * policies they page. PagerDuty IDs are 7 upper-case letters and digits (`PXXXXXX`, REST API v2 references);
 * an Events API v2 integration key is 32 hexadecimal characters.
 */
import type * as pagerduty from "@pulumi/pagerduty";
import {
  dataSourceModel,
  hash,
  resourceModel,
  str,
  type DataSourceModel,
  type ResourceModel,
} from "./define";

/** A PagerDuty object ID: `P` and six upper-case letters or digits. */
const pagerDutyId = (s: string) => `P${hash(s, 6).toUpperCase()}`;
const ACCOUNT = "https://offline.pagerduty.com";

export const pagerDutyModels: Record<string, ResourceModel> = {
  "pagerduty:index/service:Service": resourceModel<typeof pagerduty.Service>().onCreate((inputs, ctx) => {
    const id = pagerDutyId(`service/${str(inputs.name, ctx.name)}`);
    return {
      id,
      state: {
        htmlUrl: `${ACCOUNT}/service-directory/${id}`,
        status: "active",
        type: "service",
        createdAt: "2026-01-01T00:00:00Z",
        lastIncidentTimestamp: "",
      },
    };
  }),
  "pagerduty:index/serviceIntegration:ServiceIntegration": resourceModel<
    typeof pagerduty.ServiceIntegration
  >().onCreate((inputs, ctx) => {
    const service = str(inputs.service);
    const id = pagerDutyId(`integration/${service}/${str(inputs.name, ctx.name)}`);
    return {
      id,
      state: {
        integrationKey: hash(`integration-key/${service}/${id}`, 32),
        htmlUrl: `${ACCOUNT}/services/${service}/integrations/${id}`,
      },
    };
  }),
};

/** The offline account has an escalation policy for every name the platform looks up (an owner team's). */
export const pagerDutyDataSources: Record<string, DataSourceModel> = {
  "pagerduty:index/getEscalationPolicy:getEscalationPolicy": dataSourceModel<
    typeof pagerduty.getEscalationPolicy
  >().onInvoke((args) => ({ id: pagerDutyId(`escalation-policy/${args.name}`), name: args.name })),
};
