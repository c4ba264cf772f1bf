/** Cloud SQL, Memorystore Redis and BigQuery. */
import type * as gcp from "@pulumi/gcp";
import {
  hash,
  iamBinding,
  ip,
  num,
  projectNumber,
  projectOf,
  regionOf,
  resourceModel,
  str,
  type ResourceModel,
} from "./define";

export const databaseModels: Record<string, ResourceModel> = {
  "gcp:sql/databaseInstance:DatabaseInstance": resourceModel<typeof gcp.sql.DatabaseInstance>().onCreate(
    (inputs, ctx) => {
      const project = projectOf(inputs, ctx);
      const region = regionOf(inputs, ctx);
      const name = str(inputs.name, ctx.name);
      const privateIp = ip(`${project}/${name}`, 10);
      return {
        id: name,
        state: {
          connectionName: `${project}:${region}:${name}`,
          privateIpAddress: privateIp,
          firstIpAddress: privateIp,
          ipAddresses: [{ ipAddress: privateIp, type: "PRIVATE" }],
          publicIpAddress: "",
          selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/projects/${project}/instances/${name}`,
          serviceAccountEmailAddress: `p${projectNumber(project)}-${hash(name, 6)}@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
        },
      };
    },
  ),
  "gcp:sql/database:Database": resourceModel<typeof gcp.sql.Database>().onCreate((inputs, ctx) => {
    const id = `projects/${projectOf(inputs, ctx)}/instances/${str(inputs.instance)}/databases/${str(inputs.name)}`;
    return { id, state: { selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/${id}` } };
  }),
  "gcp:sql/user:User": resourceModel<typeof gcp.sql.User>().onCreate((inputs) => ({
    id: `${str(inputs.name)}//${str(inputs.instance)}`,
    state: {},
  })),
  "gcp:redis/instance:Instance": resourceModel<typeof gcp.redis.Instance>().onCreate((inputs, ctx) => {
    const project = projectOf(inputs, ctx);
    const region = regionOf(inputs, ctx);
    const name = str(inputs.name, ctx.name);
    const tls = inputs.transitEncryptionMode === "SERVER_AUTHENTICATION";
    return {
      id: `projects/${project}/locations/${region}/instances/${name}`,
      state: {
        host: ip(`${project}/${name}`, 10),
        // Memorystore serves TLS on 6378, plain text on 6379.
        port: tls ? 6378 : 6379,
        authString: inputs.authEnabled ? `offline-auth-${hash(project + name, 16)}` : "",
        currentLocationId: `${region}-a`,
        serverCaCerts: tls
          ? [
              {
                cert: `-----BEGIN CERTIFICATE-----\nOFFLINE${hash(name, 24)}\n-----END CERTIFICATE-----\n`,
                serialNumber: num(name, 8),
              },
            ]
          : [],
      },
    };
  }),
  "gcp:bigquery/dataset:Dataset": resourceModel<typeof gcp.bigquery.Dataset>().onCreate((inputs, ctx) => {
    const id = `projects/${projectOf(inputs, ctx)}/datasets/${str(inputs.datasetId)}`;
    return { id, state: { selfLink: `https://bigquery.googleapis.com/bigquery/v2/${id}` } };
  }),
  "gcp:bigquery/table:Table": resourceModel<typeof gcp.bigquery.Table>().onCreate((inputs, ctx) => {
    const id = `projects/${projectOf(inputs, ctx)}/datasets/${str(inputs.datasetId)}/tables/${str(inputs.tableId)}`;
    return { id, state: { selfLink: `https://bigquery.googleapis.com/bigquery/v2/${id}` } };
  }),
  "gcp:bigquery/datasetIamMember:DatasetIamMember": resourceModel<
    typeof gcp.bigquery.DatasetIamMember
  >().onCreate((inputs, ctx) =>
    iamBinding(
      `projects/${projectOf(inputs, ctx)}/datasets/${str(inputs.datasetId)}`,
      inputs.role,
      inputs.member,
    ),
  ),
};
