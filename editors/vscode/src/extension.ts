// Starts `hcdb-lint server` for JSON documents and passes the extension's settings to it.
// Everything else (which files are request bodies, diagnostics, hover, completion, quick fixes)
// is the server's: the same checks as `hcdb-lint check`.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** The settings the server reads (`lang`, `strict`, `context`), without unset ones. */
function serverSettings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration("hcdbLint");
  const out: Record<string, unknown> = {};
  for (const key of ["lang", "strict", "context"]) {
    const v = c.get(key);
    if (v !== null && v !== undefined) out[key] = v;
  }
  return out;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const command = vscode.workspace.getConfiguration("hcdbLint").get<string>("path") || "hcdb-lint";
  const serverOptions: ServerOptions = {
    command,
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
    // didChangeConfiguration carries the `hcdbLint` section when a setting changes.
    synchronize: { configurationSection: "hcdbLint" },
  };
  client = new LanguageClient("hcdbLint", "hcdb-lint", serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("hcdbLint.path") && client) {
        await client.stop();
        await activate(context);
      }
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
