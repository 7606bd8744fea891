// A fresh app's use of the npm package, imported the way the README and the browser page show; bundled by Vite.
// The page writes what it found into <body data-result> for the driver (run.mjs) to read.
import init, { checkJson, fields, rules } from "hcdb-lint";

async function main() {
  await init();
  const report = checkJson("ddm-scale-out", '{"flavor_id": "", "node_number": 0}');
  const docs = await rules("ddm-scale-out"); // fetches the rule documentation file
  const result = {
    rules: report.diagnostics.map((d) => d.rule),
    pointers: report.diagnostics.map((d) => d.pointer),
    fields: fields("ddm-scale-out").length,
    documented: docs.filter((r) => r.summary).length,
  };
  document.getElementById("out").textContent = JSON.stringify(result, null, 2);
  document.body.dataset.result = JSON.stringify(result);
}

main().catch((e) => {
  document.body.dataset.error = String(e && e.stack ? e.stack : e);
});
