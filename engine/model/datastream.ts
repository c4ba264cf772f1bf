/** Datastream: the private connection peered with the service's network and the connection profiles. */
import type * as gcp from "@pulumi/gcp";
import { projectOf, regionOf, resourceModel, str, type ResourceModel } from "./define";

/**
 * `projects/<p>/locations/<l>/<kind>/<id>`: a Datastream resource's ID and its `name` output are both this
 * full resource name (https://cloud.google.com/datastream/docs/reference/rest/v1/projects.locations.privateConnections,
 * the `name` field; the provider's import ID format is the same).
 */
const datastreamName = (project: string, location: string, kind: string, id: string) =>
  `projects/${project}/locations/${location}/${kind}/${id}`;

export const datastreamModels: Record<string, ResourceModel> = {
  "gcp:datastream/privateConnection:PrivateConnection": resourceModel<
    typeof gcp.datastream.PrivateConnection
  >().onCreate((inputs, ctx) => {
    const name = datastreamName(
      projectOf(inputs, ctx),
      regionOf(inputs, ctx),
      "privateConnections",
      str(inputs.privateConnectionId, ctx.name),
    );
    // The create operation finishes once the peering is established: the state is CREATED, with no errors.
    return { id: name, state: { name, state: "CREATED", errors: [] } };
  }),
  "gcp:datastream/connectionProfile:ConnectionProfile": resourceModel<
    typeof gcp.datastream.ConnectionProfile
  >().onCreate((inputs, ctx) => {
    const name = datastreamName(
      projectOf(inputs, ctx),
      regionOf(inputs, ctx),
      "connectionProfiles",
      str(inputs.connectionProfileId, ctx.name),
    );
    return { id: name, state: { name } };
  }),
};
