/** VPC networks, subnets, private service access, firewall rules and the VMs in them. */
import type * as gcp from "@pulumi/gcp";
import {
  COMPUTE,
  globalCompute,
  globalWithSelfLink,
  hash,
  ip,
  num,
  projectOf,
  regionOf,
  regionalWithSelfLink,
  resourceModel,
  str,
  type ResourceModel,
} from "./define";

/**
 * An address in the platform's subnet range (172.16.0.0/12, resolve/environment.ts SUBNET_CIDR): the model
 * sees the subnet's self link only, not its range.
 */
const subnetAddress = (s: string): string => {
  const h = hash(s, 6);
  const byte = (i: number) => parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return `172.${16 + (byte(0) % 16)}.${byte(1) % 250}.${(byte(2) % 250) + 2}`;
};

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
  "gcp:compute/firewall:Firewall": resourceModel<typeof gcp.compute.Firewall>().onCreate((inputs, ctx) => {
    const { id, selfLink } = globalCompute(projectOf(inputs, ctx), "firewalls", str(inputs.name, ctx.name));
    return { id, state: { selfLink } };
  }),
  // A VM's ID is projects/<p>/zones/<z>/instances/<name>; Compute Engine gives each network interface an
  // internal address from its subnet when none is set (networkIP,
  // https://cloud.google.com/compute/docs/reference/rest/v1/instances), and names the first one nic0.
  "gcp:compute/instance:Instance": resourceModel<typeof gcp.compute.Instance>().onCreate((inputs, ctx) => {
    const project = projectOf(inputs, ctx);
    // Without a zone input the provider's own zone applies; this model knows its region's `-a` zone only.
    const zone = typeof inputs.zone === "string" ? inputs.zone : `${regionOf({}, ctx)}-a`;
    const name = str(inputs.name, ctx.name);
    const id = `projects/${project}/zones/${zone}/instances/${name}`;
    return {
      id,
      state: {
        selfLink: `${COMPUTE}/${id}`,
        instanceId: num(id, 19),
        currentStatus: "RUNNING",
        networkInterfaces: (inputs.networkInterfaces ?? []).map((n, i) => ({
          ...n,
          name: `nic${i}`,
          networkIp: n.networkIp ?? subnetAddress(`${id}/nic${i}`),
        })),
      },
    };
  }),
  "gcp:servicenetworking/connection:Connection": resourceModel<
    typeof gcp.servicenetworking.Connection
  >().onCreate((inputs) => ({
    id: `${str(inputs.network)}:${str(inputs.service)}`,
    state: { peering: "servicenetworking-googleapis-com" },
  })),
};
