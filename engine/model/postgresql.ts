/**
 * Inside PostgreSQL (the @pulumi/postgresql provider, reached through the Cloud SQL connector): role
 * memberships, grants, default privileges, roles, publications and replication slots. The provider computes
 * nothing beyond the ID (its documented import form), so each model returns the ID only.
 */
import type * as postgresql from "@pulumi/postgresql";
import { resourceModel, str, type ResourceModel } from "./define";

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => str(x)) : []);

export const postgresqlModels: Record<string, ResourceModel> = {
  "postgresql:index/grantRole:GrantRole": resourceModel<typeof postgresql.GrantRole>().onCreate((inputs) => ({
    id: `${str(inputs.role)}_${str(inputs.grantRole)}`,
    state: {},
  })),
  "postgresql:index/grant:Grant": resourceModel<typeof postgresql.Grant>().onCreate((inputs) => ({
    id: [inputs.role, inputs.database, inputs.schema, inputs.objectType, ...list(inputs.objects)]
      .map((x) => str(x))
      .filter(Boolean)
      .join("_"),
    state: {},
  })),
  "postgresql:index/defaultPrivileges:DefaultPrivileges": resourceModel<
    typeof postgresql.DefaultPrivileges
  >().onCreate((inputs) => ({
    id: [inputs.role, inputs.database, inputs.schema, inputs.owner, inputs.objectType]
      .map((x) => str(x))
      .filter(Boolean)
      .join("_"),
    state: {},
  })),
  "postgresql:index/role:Role": resourceModel<typeof postgresql.Role>().onCreate((inputs) => ({
    id: str(inputs.name),
    state: {},
  })),
  "postgresql:index/publication:Publication": resourceModel<typeof postgresql.Publication>().onCreate(
    (inputs) => ({ id: `${str(inputs.database)}.${str(inputs.name)}`, state: {} }),
  ),
  "postgresql:index/replicationSlot:ReplicationSlot": resourceModel<
    typeof postgresql.ReplicationSlot
  >().onCreate((inputs) => ({ id: `${str(inputs.database)}.${str(inputs.name)}`, state: {} })),
};
