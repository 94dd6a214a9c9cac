/** The float dialect: float-domain compute, NHWC activations, OHWI conv weights (TFLite's layouts). */
import "./ops/const.js";
import "./ops/binary.js";
import "./ops/unary.js";
import "./ops/softmax.js";
import "./ops/conv.js";
import "./ops/matmul.js";
import "./ops/pool.js";
import "./ops/shape.js";
import "./ops/batch-norm.js";
import "./ops/lrn.js";
import "./ops/cast.js";
