/**
 * The hw dialect: the integer programs a target runs. Every parameter is an attribute (zero points,
 * multipliers and shifts, rounding mode, clamp bounds, windows), operands and results are storage
 * integers (plain or `!quant.uniform`), and every op runs bit-exactly in the interpreter through the
 * kernels in ./kernels.
 */
import "./ops/const.js";
import "./ops/conv.js";
import "./ops/matmul.js";
import "./ops/sparse.js";
import "./ops/rescale.js";
import "./ops/elementwise.js";
import "./ops/lut.js";
import "./ops/pool.js";
import "./ops/shape.js";
import "./ops/softmax.js";
import "./ops/dynamic-quantize.js";
