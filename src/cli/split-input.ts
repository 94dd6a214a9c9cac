/** `--split-input-file`: chunks separated by `// -----` lines, each remembering its first line number. */

export interface InputChunk {
  readonly text: string;
  readonly firstLine: number;
}

export function splitInput(text: string, enabled: boolean): InputChunk[] {
  if (!enabled) return [{ text, firstLine: 1 }];
  const lines = text.split("\n");
  const chunks: InputChunk[] = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || /^\s*\/\/ -----/.test(lines[i]!)) {
      chunks.push({ text: lines.slice(start, i).join("\n"), firstLine: start + 1 });
      start = i + 1;
    }
  }
  return chunks;
}

/** Output chunks joined as mlir-opt joins them. */
export function joinOutputs(outputs: readonly string[]): string {
  return outputs.join("// -----\n");
}
