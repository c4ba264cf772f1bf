/** Projects, APIs, service accounts and IAM bindings. */
import type * as gcp from "@pulumi/gcp";
import {
  hash,
  iamBinding,
  num,
  projectNumber,
  projectOf,
  resourceModel,
  str,
  type ResourceModel,
} from "./define";
import { serviceAgentMember } from "../../platform/service-agents";

export const projectModels: Record<string, ResourceModel> = {
  "gcp:organizations/project:Project": resourceModel<typeof gcp.organizations.Project>().onCreate(
    (inputs) => {
      const projectId = str(inputs.projectId);
      return { id: `projects/${projectId}`, state: { number: projectNumber(projectId) } };
    },
  ),
  "gcp:projects/service:Service": resourceModel<typeof gcp.projects.Service>().onCreate((inputs, ctx) => ({
    id: `${projectOf(inputs, ctx)}/${str(inputs.service)}`,
    state: {},
  })),
  "gcp:projects/iAMMember:IAMMember": resourceModel<typeof gcp.projects.IAMMember>().onCreate((inputs, ctx) =>
    iamBinding(projectOf(inputs, ctx), inputs.role, inputs.member),
  ),
  "gcp:projects/iAMCustomRole:IAMCustomRole": resourceModel<typeof gcp.projects.IAMCustomRole>().onCreate(
    (inputs, ctx) => {
      const name = `projects/${projectOf(inputs, ctx)}/roles/${str(inputs.roleId)}`;
      return { id: name, state: { name, deleted: false } };
    },
  ),
  "gcp:projects/iAMAuditConfig:IAMAuditConfig": resourceModel<typeof gcp.projects.IAMAuditConfig>().onCreate(
    (inputs, ctx) => {
      const id = `${projectOf(inputs, ctx)}/${str(inputs.service)}`;
      return { id, state: { etag: `BwY${hash(id, 9)}=` } };
    },
  ),
  "gcp:serviceaccount/account:Account": resourceModel<typeof gcp.serviceaccount.Account>().onCreate(
    (inputs, ctx) => {
      const project = projectOf(inputs, ctx);
      const email = `${str(inputs.accountId)}@${project}.iam.gserviceaccount.com`;
      const name = `projects/${project}/serviceAccounts/${email}`;
      return {
        id: name,
        state: { email, name, uniqueId: num(email, 21), member: `serviceAccount:${email}` },
      };
    },
  ),
  // The service agent's email follows Google's documented form, service-<project number>@<agent domain>
  // (https://cloud.google.com/iam/docs/service-agents).
  "gcp:projects/serviceIdentity:ServiceIdentity": resourceModel<
    typeof gcp.projects.ServiceIdentity
  >().onCreate((inputs, ctx) => {
    const project = projectOf(inputs, ctx);
    const service = str(inputs.service);
    const member = serviceAgentMember(service, projectNumber(project));
    return {
      id: `projects/${project}/services/${service}`,
      state: { email: member.slice("serviceAccount:".length), member },
    };
  }),
  "gcp:serviceaccount/iAMMember:IAMMember": resourceModel<typeof gcp.serviceaccount.IAMMember>().onCreate(
    (inputs) => iamBinding(str(inputs.serviceAccountId), inputs.role, inputs.member),
  ),
};
