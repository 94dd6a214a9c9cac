/**
 * Generates the parse benchmark's input: one function holding a chain of elementwise ops with
 * attributes and quantize/dequantize casts (~100 bytes per op), in qopt's generic form.
 */
export function generateChain(ops: number): string {
  const t = "tensor<1x16xf32>";
  const q = "tensor<1x16x!quant.uniform<i8:f32, 0.0078125:-3>>";
  const lines: string[] = [`func.func @chain(%arg0: ${t}) -> ${t} {`];
  let prev = "%arg0";
  let n = 0;
  for (let i = 0; n < ops; i++) {
    const kind = i % 4;
    if (kind === 0) lines.push(`  %${n} = "float.add"(${prev}, %arg0) {qopt.range = [-1.500000e+00, 2.250000e+00]} : (${t}, ${t}) -> ${t}`);
    else if (kind === 1) lines.push(`  %${n} = "quant.qcast"(${prev}) : (${t}) -> ${q}`);
    else if (kind === 2) lines.push(`  %${n} = "quant.dcast"(${prev}) : (${q}) -> ${t}`);
    else lines.push(`  %${n} = "float.mul"(${prev}, %arg0) {fused = "relu", qopt.range = [0.000000e+00, 6.000000e+00]} : (${t}, ${t}) -> ${t}`);
    prev = `%${n}`;
    n++;
  }
  lines.push(`  return ${prev} : ${t}`, "}", "");
  return lines.join("\n");
}
