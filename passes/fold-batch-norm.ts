/**
 * `fold-batch-norm`: a `float.batch_norm` with constant parameters whose input is a conv, depthwise conv
 * or fully connected op with constant weights (and no other user) folds into that op's weights and bias:
 * w' = w·γ/√(σ²+ε) per output channel, b' = (b − μ)·γ/√(σ²+ε) + β. Any other batch norm becomes a
 * multiply and an add by constants, which quantize like any elementwise op.
 */
import type { Operation, Value } from "../src/ir/operation.js";
import { makeOperation } from "../src/ir/operation.js";
import { floatAttr } from "../src/ir/attr-access.js";
import { hasTrait } from "../src/ir/opdef.js";
import { countUses, mapFunctionBodies, producerMap } from "../src/ir/rewriter.js";
import { registerPass, instantiatePass, type Pass } from "../src/pass/pass.js";
import { constantData, makeF32Constant, outputChannelAxis } from "../src/quant/constants.js";

export const foldBatchNormPass = registerPass({
  name: "fold-batch-norm",
  description: "Fold batch normalization into the preceding conv/fc weights, or lower it to mul+add",
  options: {},
  run(module, _options, ctx) {
    return mapFunctionBodies(module, (block) => {
      const producers = producerMap(block.ops);
      const uses = countUses(block.ops);
      const replaced = new Map<Value, Value>();
      const dropped = new Set<Operation>();
      const out: Operation[] = [];
      let changed = false;
      // Folded producers are rebuilt where the batch norm stood: a conv's users all come after its norm.
      for (const op of block.ops) {
        const operands = op.operands.map((v) => replaced.get(v) ?? v);
        if (op.name !== "float.batch_norm") {
          if (dropped.has(op)) continue;
          out.push(operands.every((v, i) => v === op.operands[i]) ? op : { ...op, operands });
          continue;
        }
        const params = [1, 2, 3, 4].map((i) => constantData(op.operands[i]!, producers));
        if (params.some((p) => p === undefined)) {
          out.push({ ...op, operands });
          continue;
        }
        const [gamma, beta, mean, variance] = params.map((p) => p!.data) as [Float32Array, Float32Array, Float32Array, Float32Array];
        const eps = floatAttr(op, "epsilon", 1e-5);
        const channels = gamma.length;
        const scale = new Float64Array(channels);
        const shift = new Float64Array(channels);
        for (let c = 0; c < channels; c++) {
          scale[c] = gamma[c]! / Math.sqrt(variance[c]! + eps);
          shift[c] = beta[c]! - mean[c]! * scale[c]!;
        }
        const input = op.operands[0]!;
        const producer = producers.get(input);
        const weights = producer && hasTrait(producer, "WeightedOp") && uses.get(input) === 1 ? constantData(producer.operands[1]!, producers) : undefined;
        changed = true;
        if (producer && weights) {
          const axis = outputChannelAxis(producer.name);
          let inner = 1;
          for (let d = axis + 1; d < weights.shape.length; d++) inner *= weights.shape[d]!;
          const w = weights.data.map((v, i) => v * scale[Math.floor(i / inner) % channels]!);
          const oldBias = producer.operands[2] ? constantData(producer.operands[2], producers)?.data : undefined;
          const b = Float32Array.from({ length: channels }, (_, c) => (oldBias ? oldBias[c]! : 0) * scale[c]! + shift[c]!);
          const wConst = makeF32Constant(w, weights.shape, producer.loc);
          const bConst = makeF32Constant(b, [channels], producer.loc);
          const fused = { ...producer, operands: [producer.operands[0]!, wConst.results[0]!, bConst.results[0]!].map((v) => replaced.get(v) ?? v) };
          // The conv moves to the batch norm's place; its old position is dropped.
          const at = out.indexOf(producer);
          if (at >= 0) out.splice(at, 1);
          else dropped.add(producer);
          out.push(wConst, bConst, fused);
          replaced.set(op.results[0]!, fused.results[0]!);
          ctx.decisions.push({ pass: "fold-batch-norm", kind: "folded", op: producer.name, message: `folded batch_norm into ${producer.name} weights and bias` });
        } else {
          const sConst = makeF32Constant(Float32Array.from(scale), [channels], op.loc);
          const tConst = makeF32Constant(Float32Array.from(shift), [channels], op.loc);
          const mul = makeOperation({ name: "float.mul", operands: [operands[0]!, sConst.results[0]!], resultTypes: [op.results[0]!.type], loc: op.loc });
          const add = makeOperation({ name: "float.add", operands: [mul.results[0]!, tConst.results[0]!], results: op.results, loc: op.loc });
          out.push(sConst, tConst, mul, add);
          ctx.decisions.push({ pass: "fold-batch-norm", kind: "lowered", op: op.name, message: `batch_norm has no foldable producer; lowered to mul + add by constants` });
        }
      }
      return changed ? { args: block.args, ops: out } : block;
    });
  },
});

export function foldBatchNorm(): Pass {
  return instantiatePass(foldBatchNormPass);
}
