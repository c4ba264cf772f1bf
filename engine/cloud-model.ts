/**
 * The engine's side of a resource registration, answered from the cloud model (engine/model/): the ID and
 * state the engine hands back to the program, in one of two modes.
 *
 * - `applied`: what `pulumi up` returns once the resource exists: inputs echoed, computed values filled in by
 *   the model. Policies run on this, as CrossGuard does during `pulumi up`.
 * - `preview`: what `pulumi preview` returns for a resource it is about to create: inputs echoed, every value
 *   the provider computes (and the ID) unknown. Applies that read them do not run, and whatever depends on
 *   them is unknown too, exactly as in a real first preview.
 *
 * Both the in-process engine (run.ts) and the gRPC resource monitor of the entry-point test answer with these
 * functions, so the two can be compared.
 */
import { createResource, invokeDataSource, returnedInputs } from "./model";
import { isSecret, SIG_KEY, SECRET_SIG } from "./redact";

export { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6 } from "./model";

export type PlanMode = "applied" | "preview";

/** Pulumi's wire value for "known only after apply" (`unknownValue` in @pulumi/pulumi's runtime/rpc). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const isUnknown = (v: unknown): boolean => v === UNKNOWN;

/** A registration as the engine receives it, properties in their wire form (secrets wrapped, unknowns marked). */
export interface Registration {
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, unknown>;
  /** Inputs of the provider the resource uses (`project`, `region`), `{}` for a default provider. */
  providerInputs: Record<string, unknown>;
  additionalSecretOutputs: readonly string[];
}

export interface RegistrationAnswer {
  /** "" when unknown (preview) or for components. */
  id: string;
  /** Output properties in wire form. */
  state: Record<string, unknown>;
}

const isWireSecret = (v: unknown): v is { value?: unknown } =>
  typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;

const wireSecret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

/** Plain values for the model: secrets unwrapped (the model never stores them; the engine re-wraps outputs). */
export function plainValue(v: unknown): unknown {
  if (isWireSecret(v)) return plainValue(v.value);
  if (Array.isArray(v)) return v.map(plainValue);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plainValue(x);
    return out;
  }
  return v;
}

/** The state's resource a registration is, when the plan runs against a deployed state and it is kept. */
export interface KeptResource {
  /** `same`: the state's outputs are the answer; `update`: they, with the new inputs over them. */
  op: "same" | "update";
  id?: string;
  /** Outputs as a stack export holds them (secrets encrypted or redacted). */
  outputs: Record<string, unknown>;
}

/** Exported values in wire form: an exported secret (ciphertext) becomes a wire secret the program can hold. */
function fromExport(v: unknown): unknown {
  if (isSecret(v)) return wireSecret(REDACTED_IN_STATE);
  if (Array.isArray(v)) return v.map(fromExport);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = fromExport(x);
    return out;
  }
  return v;
}

/** What the program reads for a secret of the state: its value is encrypted there (or redacted, in ours). */
const REDACTED_IN_STATE = "[secret]";

/**
 * The engine's answer to RegisterResource for `reg` in `mode`. Without `kept`, the resource is created: the
 * model computes its values, and in `applied` mode the inputs the API rewrites (model/returns.ts) are stored as
 * it returns them. With `kept` (a plan against a state), the resource keeps its ID and computed values, as
 * `pulumi preview` and `pulumi up` do for a resource that exists.
 */
export function answerRegistration(
  reg: Registration,
  mode: PlanMode,
  kept?: KeptResource,
): RegistrationAnswer {
  // Components are not created in the cloud: their registration is bookkeeping.
  if (!reg.custom) return { id: "", state: { ...reg.inputs } };
  const plainInputs = plainValue(reg.inputs) as Record<string, unknown>;
  const ctx = { name: reg.name, provider: plainValue(reg.providerInputs) as Record<string, unknown> };
  let id: string;
  let state: Record<string, unknown>;
  if (kept?.op === "same") {
    id = kept.id ?? "";
    state = fromExport(kept.outputs) as Record<string, unknown>;
  } else {
    if (kept) {
      id = kept.id ?? "";
      state = { ...(fromExport(kept.outputs) as Record<string, unknown>), ...reg.inputs };
    } else {
      const created = createResource(reg.type, plainInputs, ctx);
      id = mode === "applied" ? created.id : "";
      state = { ...reg.inputs };
      for (const [k, v] of Object.entries(created.state))
        if (mode === "applied") state[k] = v;
        else if (!(k in reg.inputs)) state[k] = UNKNOWN; // a preview keeps what the program set
    }
    // After `pulumi up` the provider reads back what the API stored; a preview only knows what was sent.
    if (mode === "applied")
      for (const [k, v] of Object.entries(returnedInputs(reg.type, plainInputs, ctx)))
        if (!isWireSecret(reg.inputs[k])) state[k] = v;
  }

  // The engine marks additional secret outputs secret, as `pulumi up` and `pulumi preview` do.
  for (const k of reg.additionalSecretOutputs)
    if (k in state && !isWireSecret(state[k])) state[k] = wireSecret(state[k]);
  return { id, state };
}

/** The engine's answer to Invoke: data sources run in previews too, so the result is the same in both modes. */
export function answerInvoke(token: string, args: Record<string, unknown>): Record<string, unknown> {
  return invokeDataSource(token, plainValue(args) as Record<string, unknown>);
}

/** Provider references (`<urn>::<id>`) to the provider's inputs, for resolving `project` and `region`. */
export class ProviderTable {
  private readonly byUrn = new Map<string, Record<string, unknown>>();

  /** Records a registered provider resource (`pulumi:providers:<package>`). */
  add(urn: string, inputs: Record<string, unknown>): void {
    this.byUrn.set(urn, inputs);
  }

  /** The inputs of the provider `ref` points at; `{}` for a default provider (no reference). */
  inputsOf(ref: string): Record<string, unknown> {
    if (!ref) return {};
    const urn = ref.slice(0, ref.lastIndexOf("::"));
    const inputs = this.byUrn.get(urn);
    if (!inputs) throw new Error(`provider reference ${ref} names no registered provider`);
    return inputs;
  }
}

export const isProviderType = (type: string): boolean => type.startsWith("pulumi:providers:");
