/** Import failures: one message naming the model file (and node), printed by the CLI without a stack. */
export class OnnxImportError extends Error {
  override name = "OnnxImportError";
}
