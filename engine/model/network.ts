/** VPC networks, subnets, private service access. */
import type * as gcp from "@pulumi/gcp";
import {
  globalCompute,
  globalWithSelfLink,
  ip,
  projectOf,
  regionalWithSelfLink,
  resourceModel,
  str,
  type ResourceModel,
} from "./define";

export const networkModels: Record<string, ResourceModel> = {
  "gcp:compute/network:Network": resourceModel<typeof gcp.compute.Network>().onCreate(
    globalWithSelfLink("networks"),
  ),
  "gcp:compute/subnetwork:Subnetwork": resourceModel<typeof gcp.compute.Subnetwork>().onCreate(
    regionalWithSelfLink("subnetworks"),
  ),
  "gcp:compute/globalAddress:GlobalAddress": resourceModel<typeof gcp.compute.GlobalAddress>().onCreate(
    (inputs, ctx) => {
      const project = projectOf(inputs, ctx);
      const name = str(inputs.name, ctx.name);
      const { id, selfLink } = globalCompute(project, "addresses", name);
      // Private service access ranges are internal; load balancer addresses are public.
      const address = inputs.addressType === "INTERNAL" ? ip(name, 10) : ip(`${project}/${name}`, 34);
      return { id, state: { selfLink, address } };
    },
  ),
  "gcp:servicenetworking/connection:Connection": resourceModel<
    typeof gcp.servicenetworking.Connection
  >().onCreate((inputs) => ({
    id: `${str(inputs.network)}:${str(inputs.service)}`,
    state: { peering: "servicenetworking-googleapis-com" },
  })),
};
