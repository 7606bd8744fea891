// Starts `hcdb-lint server` for JSON documents and passes the extension's settings to it.
// Everything else (which files are request bodies, diagnostics, hover, completion, quick fixes)
// is the server's: the same checks as `hcdb-lint check`. The server asks for the `hcdbLint`
// settings (workspace/configuration) when it starts and when they change; unset ones defer to
// hcdb-lint.json.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** The settings the server reads, without unset ones. */
function serverSettings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration("hcdbLint");
  const out: Record<string, unknown> = {};
  for (const key of ["lang", "strict", "context", "docsUrl", "files"]) {
    const v = c.get(key);
    if (v !== null && v !== undefined) out[key] = v;
  }
  return out;
}

function executable(): string {
  return vscode.workspace.getConfiguration("hcdbLint").get<string>("path") || "hcdb-lint";
}

async function start(): Promise<void> {
  const serverOptions: ServerOptions = {
    command: executable(),
    args: ["server"],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "json" },
      { scheme: "file", language: "jsonc" },
      { scheme: "untitled", language: "json" },
      // Terraform files: the server answers only for the DDM and GeminiDB resources it checks.
      { scheme: "file", language: "terraform" },
    ],
    initializationOptions: serverSettings(),
    // didChangeConfiguration when an `hcdbLint` setting changes; the server then asks for them.
    synchronize: { configurationSection: "hcdbLint" },
  };
  client = new LanguageClient("hcdbLint", "hcdb-lint", serverOptions, clientOptions);
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // One listener for the extension's life: a change of `hcdbLint.path` restarts the server once.
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("hcdbLint.path")) {
        await client?.stop();
        await start();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
