/** Secret Manager: secrets, versions, bindings and the secret-version data source. */
import type * as gcp from "@pulumi/gcp";
import {
  dataSourceModel,
  iamBinding,
  projectNumber,
  projectOf,
  resourceModel,
  str,
  type DataSourceModel,
  type ResourceModel,
} from "./define";

export const secretModels: Record<string, ResourceModel> = {
  "gcp:secretmanager/secret:Secret": resourceModel<typeof gcp.secretmanager.Secret>().onCreate(
    (inputs, ctx) => {
      const project = projectOf(inputs, ctx);
      const secretId = str(inputs.secretId);
      return {
        id: `projects/${project}/secrets/${secretId}`,
        // Secret Manager names secrets by project number, not ID.
        state: { name: `projects/${projectNumber(project)}/secrets/${secretId}` },
      };
    },
  ),
  "gcp:secretmanager/secretVersion:SecretVersion": resourceModel<
    typeof gcp.secretmanager.SecretVersion
  >().onCreate((inputs) => {
    const name = `${str(inputs.secret)}/versions/1`;
    return { id: name, state: { name, version: "1" } };
  }),
  "gcp:secretmanager/secretIamMember:SecretIamMember": resourceModel<
    typeof gcp.secretmanager.SecretIamMember
  >().onCreate((inputs, ctx) =>
    iamBinding(
      `projects/${projectOf(inputs, ctx)}/secrets/${str(inputs.secretId)}`,
      inputs.role,
      inputs.member,
    ),
  ),
};

export const secretDataSources: Record<string, DataSourceModel> = {
  /** Platform secrets (certificates, tokens, webhooks) live in the shared secrets project, read at deploy time. */
  "gcp:secretmanager/getSecretVersion:getSecretVersion": dataSourceModel<
    typeof gcp.secretmanager.getSecretVersion
  >().onInvoke((inputs) => {
    const project = str(inputs.project);
    const secret = str(inputs.secret);
    const name = `projects/${projectNumber(project)}/secrets/${secret}/versions/1`;
    return {
      id: `projects/${project}/secrets/${secret}/versions/latest`,
      name,
      project,
      secret,
      version: "1",
      enabled: true,
      secretData: `offline-placeholder-for-${secret}`,
    };
  }),
};
