import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check, listOf } from "../define";

/** The Compute Engine default service account's address ends so (`<number>-compute@...`). */
const DEFAULT_ACCOUNT = /-compute@developer\.gserviceaccount\.com$/;
const isTrue = (v: unknown) => typeof v === "string" && v.toUpperCase() === "TRUE";

export const gcpComputeInstanceHardened = resourcePolicy({
  name: "gcp-compute-instance-hardened",
  description:
    "Compute Engine VMs are private and hardened: no external address, Shielded VM (secure boot, vTPM, integrity monitoring), OS Login with project SSH keys blocked, no serial port, no IP forwarding, a dedicated service account.",
  severity: "high",
  remediation:
    "Create VMs through a component that sets no accessConfigs, shieldedInstanceConfig with all three on, metadata enable-oslogin and block-project-ssh-keys TRUE, and its own service account (DatastreamConnection's proxy VM does).",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: [
      "CKV_GCP_30",
      "CKV_GCP_31",
      "CKV_GCP_32",
      "CKV_GCP_34",
      "CKV_GCP_35",
      "CKV_GCP_36",
      "CKV_GCP_39",
      "CKV_GCP_40",
      "CIS 4.1",
      "CIS 4.2",
      "CIS 4.3",
      "CIS 4.4",
      "CIS 4.5",
      "CIS 4.6",
      "CIS 4.8",
      "CIS 4.9",
    ],
  },
  checks: [
    check(gcp.compute.Instance, (vm, report) => {
      for (const [i, nic] of listOf(vm.networkInterfaces, "networkInterfaces", report).entries())
        if (listOf(nic.accessConfigs, `networkInterfaces[${i}].accessConfigs`, report).length)
          report(`networkInterfaces[${i}] has an external address (accessConfigs).`);
      const shielded = vm.shieldedInstanceConfig;
      // The provider's defaults: secure boot off, vTPM and integrity monitoring on.
      if (shielded?.enableSecureBoot !== true) report("Shielded VM secure boot is off.");
      if (shielded?.enableVtpm === false) report("Shielded VM vTPM is off.");
      if (shielded?.enableIntegrityMonitoring === false) report("Shielded VM integrity monitoring is off.");
      const metadata = (vm.metadata ?? {}) as Record<string, unknown>;
      if (!isTrue(metadata["enable-oslogin"])) report("OS Login is not enabled (metadata enable-oslogin).");
      if (!isTrue(metadata["block-project-ssh-keys"]))
        report("Project-wide SSH keys are not blocked (metadata block-project-ssh-keys).");
      if (isTrue(metadata["serial-port-enable"])) report("The serial port is enabled.");
      if (vm.canIpForward === true) report("IP forwarding is on.");
      const email = vm.serviceAccount?.email;
      if (!vm.serviceAccount || !email || email === "default" || DEFAULT_ACCOUNT.test(email))
        report("The VM runs as the Compute Engine default service account; give it a dedicated one.");
    }),
  ],
});
