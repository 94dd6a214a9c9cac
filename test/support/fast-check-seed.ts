/**
 * Every fast-check property runs from a fixed seed, so a CI run is reproducible: a property that passes
 * here passes there. Set QOPT_FC_SEED to explore other cases (a failure prints its seed and path).
 */
import fc from "fast-check";

const seed = Number(process.env["QOPT_FC_SEED"] ?? 20261125);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
