/** The float dialect: float-domain compute, NHWC activations, OHWI conv weights (TFLite's layouts). */
import "./ops/const.js";
import "./ops/binary.js";
