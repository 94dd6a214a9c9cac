/** Loads every dialect and pass so that the parser, verifier and pipelines know them. */
import "../dialects/index.js";
import "../passes/index.js";
