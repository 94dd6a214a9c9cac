// `FileCheck CHECKFILE [options] < input`: the command-line face of fileCheck(), used by the
// RUN lines of .mlir tests. Exit status follows LLVM's FileCheck: 0 when every check passes,
// 1 when a check fails, 2 for usage or I/O errors.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { fileCheck, formatInputDump } from "./filecheck.js";

const USAGE = `usage: FileCheck CHECKFILE [--check-prefix=X]... [--check-prefixes=A,B] [--input-file=F]
                 [--allow-empty] [--enable-var-scope] [--strict-whitespace]
                 [--dump-input=fail|always|never]
Reads the input from --input-file, or from stdin, and matches it against CHECKFILE.`;

/** LLVM tools accept `-check-prefix=X` as well as `--check-prefix=X`; parseArgs wants the latter. */
function normalizeLongOptions(args: string[]): string[] {
  return args.map((a) => (/^-[A-Za-z][A-Za-z-]+(=|$)/.test(a) ? `-${a}` : a));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: normalizeLongOptions(argv),
      allowPositionals: true,
      options: {
        "check-prefix": { type: "string", multiple: true },
        "check-prefixes": { type: "string", multiple: true },
        "input-file": { type: "string" },
        "allow-empty": { type: "boolean" },
        "enable-var-scope": { type: "boolean" },
        "strict-whitespace": { type: "boolean" },
        "dump-input": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    process.stderr.write(`FileCheck: ${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`FileCheck: expected exactly one check file, got ${positionals.length}\n${USAGE}\n`);
    return 2;
  }
  const dumpInput = values["dump-input"] ?? "fail";
  if (!["fail", "always", "never"].includes(dumpInput)) {
    process.stderr.write(`FileCheck: --dump-input must be fail, always or never, not '${dumpInput}'\n`);
    return 2;
  }
  const checkFile = positionals[0] as string;
  const prefixes = [
    ...(values["check-prefix"] ?? []),
    ...(values["check-prefixes"] ?? []).flatMap((list) => list.split(",")),
  ];
  const inputFile = values["input-file"];

  let checkText: string;
  let input: string;
  try {
    checkText = await readFile(checkFile, "utf8");
  } catch (e) {
    process.stderr.write(`FileCheck: could not open check file '${checkFile}': ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  try {
    input = inputFile === undefined || inputFile === "-" ? await readStdin() : await readFile(inputFile, "utf8");
  } catch (e) {
    process.stderr.write(`FileCheck: could not open input file '${inputFile}': ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }

  const inputName = inputFile === undefined || inputFile === "-" ? "<stdin>" : inputFile;
  const result = fileCheck(checkText, input, {
    prefixes,
    checkFileName: checkFile,
    inputName,
    allowEmpty: values["allow-empty"] === true,
    enableVarScope: values["enable-var-scope"] === true,
    strictWhitespace: values["strict-whitespace"] === true,
  });
  const parts = [...result.diagnostics];
  if ((dumpInput === "always" || (dumpInput === "fail" && !result.ok && result.inputLines.length > 0)) && input.length > 0) {
    parts.push(`\nInput file: ${inputName}\nCheck file: ${checkFile}\n\n${formatInputDump(input, result.inputLines)}`);
  }
  if (parts.length > 0) process.stderr.write(`${parts.join("\n")}\n`);
  return result.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`FileCheck: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
