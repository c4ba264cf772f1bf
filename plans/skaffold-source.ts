/**
 * The skaffold source of a rollout release (reference §7): what `gcloud deploy releases create --source`
 * uploads. Cloud Deploy runs the custom target type's two actions from it for every stage:
 *
 * - render (`cloud-run-image-deploy-render`) reads `service.yaml` from the release's source archive, fills in
 *   the stage's deploy parameters (`customTarget/serviceID`, `customTarget/image`, `customTarget/projectID`
 *   from the target, `customTarget/tag` from the release) and stores the result as the rendered manifest;
 * - deploy (`cloud-run-image-deploy`) points the stage's Cloud Run service at that image with
 *   `gcloud run services update --image`: only the image changes, everything else stays as Pulumi set it; in a
 *   canary phase the new revision gets only the phase's share of the traffic.
 *
 * Both actions report through `results.json` in the output path Cloud Deploy gives them. Pure: the files as
 * text; delivery/source-archive.ts packs them.
 */
import { stringify } from "yaml";

/** Action names of the custom target type (components/rollout.ts registers them on the type). */
export const RENDER_ACTION = "cloud-run-image-deploy-render";
export const DEPLOY_ACTION = "cloud-run-image-deploy";
/** The Google Cloud CLI image the actions run in. */
export const GCLOUD_IMAGE = "gcr.io/google.com/cloudsdktool/google-cloud-cli:slim";
export const MANIFEST_FILE = "service.yaml";
export const SKAFFOLD_FILE = "skaffold.yaml";
/** Deploy parameters as the action containers see them: `customTarget/x` becomes CLOUD_DEPLOY_customTarget_x. */
const param = (name: "serviceID" | "image" | "projectID" | "tag") => `\${CLOUD_DEPLOY_customTarget_${name}}`;

export interface SkaffoldSourceInput {
  /** The service ID (names the skaffold config). */
  serviceId: string;
}

/** The Cloud Run service manifest template: the only field a release changes is the container image. */
export function serviceManifest(serviceId: string): string {
  return (
    `# Cloud Run image of ${serviceId}, rendered per stage by ${RENDER_ACTION}.\n` +
    stringify({
      apiVersion: "serving.knative.dev/v1",
      kind: "Service",
      metadata: {
        name: "SERVICE_ID",
        annotations: { "run.googleapis.com/launch-stage": "GA", "msp/project": "PROJECT_ID" },
      },
      spec: { template: { spec: { containers: [{ image: "IMAGE:TAG" }] } } },
    })
  );
}

const RENDER_SCRIPT = [
  "set -euo pipefail",
  'src="$(mktemp -d)"',
  'gcloud storage cp "$CLOUD_DEPLOY_INPUT_GCS_PATH" "$src/source.tar.gz"',
  `tar -xzf "$src/source.tar.gz" -C "$src" ${MANIFEST_FILE}`,
  `sed -e "s|SERVICE_ID|${param("serviceID")}|" -e "s|PROJECT_ID|${param("projectID")}|" -e "s|IMAGE:TAG|${param("image")}:${param("tag")}|" "$src/${MANIFEST_FILE}" > "$src/manifest.yaml"`,
  'gcloud storage cp "$src/manifest.yaml" "$CLOUD_DEPLOY_OUTPUT_GCS_PATH/manifest.yaml"',
  `printf '{"resultStatus":"SUCCEEDED","manifestFile":"%s"}' "$CLOUD_DEPLOY_OUTPUT_GCS_PATH/manifest.yaml" > "$src/results.json"`,
  'gcloud storage cp "$src/results.json" "$CLOUD_DEPLOY_OUTPUT_GCS_PATH/results.json"',
].join("\n");

const service = `"${param("serviceID")}"`;
const where = `--region="$CLOUD_DEPLOY_LOCATION" --project="${param("projectID")}" --quiet`;
const newImage = `--image="${param("image")}:${param("tag")}"`;

/**
 * A canary phase (CLOUD_DEPLOY_PERCENTAGE_DEPLOY below 100, set by Cloud Deploy for each phase of a canary
 * stage; 100 or unset for the stable phase and standard stages): the new image becomes the latest revision
 * without traffic, then gets the phase's share (the rest stays on the prior revision). A later phase finds the
 * revision made already (the same template makes no new one) and only moves the share. The stable phase, and a
 * stage without canary, gives the latest revision all traffic: what the stack program pins.
 * https://cloud.google.com/run/docs/rollouts-rollbacks-traffic-migration (`--no-traffic`, `--to-revisions=LATEST=n`).
 */
const DEPLOY_SCRIPT = [
  "set -euo pipefail",
  'out="$(mktemp -d)"',
  'percent="${CLOUD_DEPLOY_PERCENTAGE_DEPLOY:-100}"',
  'if [ "$percent" -lt 100 ]; then',
  `  gcloud run services update ${service} ${newImage} --no-traffic ${where}`,
  `  gcloud run services update-traffic ${service} --to-revisions="LATEST=$percent" ${where}`,
  "else",
  `  gcloud run services update ${service} ${newImage} ${where}`,
  `  gcloud run services update-traffic ${service} --to-latest ${where}`,
  "fi",
  `printf '{"resultStatus":"SUCCEEDED"}' > "$out/results.json"`,
  'gcloud storage cp "$out/results.json" "$CLOUD_DEPLOY_OUTPUT_GCS_PATH/results.json"',
].join("\n");

/** skaffold.yaml: the two custom actions, each a bash script in the Google Cloud CLI image. */
export function skaffoldConfig(input: SkaffoldSourceInput): string {
  const action = (name: string, script: string) => ({
    name,
    containers: [
      {
        name: name.replace(/^cloud-run-image-/, ""),
        image: GCLOUD_IMAGE,
        command: ["/bin/bash"],
        args: ["-c", script],
      },
    ],
  });
  return stringify({
    apiVersion: "skaffold/v4beta7",
    kind: "Config",
    metadata: { name: `${input.serviceId}-cloud-run-image` },
    customActions: [action(RENDER_ACTION, RENDER_SCRIPT), action(DEPLOY_ACTION, DEPLOY_SCRIPT)],
  });
}

/** Every file of the source archive, by name, sorted. */
export function skaffoldSourceFiles(input: SkaffoldSourceInput): Record<string, string> {
  return { [MANIFEST_FILE]: serviceManifest(input.serviceId), [SKAFFOLD_FILE]: skaffoldConfig(input) };
}
