/** Registers every dialect's op definitions (import for the side effect). */
import "./builtin/ops.js";
import "./func/ops.js";
import "./quant/ops.js";
import "./float/index.js";
import "./hw/index.js";
