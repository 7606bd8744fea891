// A console form validated in the browser by hcdb-lint (the wasm build in ../pkg/web).
//
// How it works, in four steps a console can copy:
// 1. The controls are built from `fields(api)`: selects from `enum`, `maxlength` from
//    `maxLength`, `min`/`max` from `minimum`/`maximum`, a password input for `secret` fields,
//    labels in both languages. Each control carries the JSON Pointer of its member.
// 2. On every edit, the form state becomes a request body (empty controls are left out).
// 3. `checkField(api, pointer, value, body)` tells which other members the edit involves
//    (set `charge_mode` to prePaid and `period_type` becomes required), and `check(api, body)`
//    gives the verdict on the whole body.
// 4. Each diagnostic is shown next to the control whose pointer it names (or the nearest
//    enclosing group), for the members the user has touched so far.
// 5. A diagnostic's rule id opens the rule's documentation (what, why, where the page says it),
//    from `linter.rules(api)`: a promise, because the documentation is a file of its own that
//    is fetched on that first call, so a form that only validates never downloads it.
// The password is never displayed or logged: the preview masks every `secret` field, and the
// linter's messages never contain it.

import init, { Linter } from "../pkg/web/index.js";

// ---------------------------------------------------------------------------------------------
// Page text (the field labels come from the rule packs, through fields()).

const UI = {
  en: {
    title: "Create a database instance",
    intro: "Every field is checked as you type, in the browser, by the same rules as the hcdb-lint CLI.",
    language: "Language",
    body: "Request body",
    loading: "Loading the validator…",
    ready: "Validator ready.",
    failed: "The validator could not be loaded: ",
    checkAll: "Check all fields",
    reset: "Reset",
    addRow: "+ Add a specification",
    removeRow: "Remove",
    row: "Specification",
    list: "Comma-separated",
    choose: "— choose —",
    valid: "No errors: the request can be sent.",
    shown: "Messages are shown for the fields you have edited.",
    counts: { error: "errors", warning: "warnings", info: "notes" },
    source: "Source",
    docFailed: "The rule documentation could not be loaded: ",
  },
  zh: {
    title: "创建数据库实例",
    intro: "输入时即在浏览器中校验每个字段，规则与 hcdb-lint 命令行工具完全相同。",
    language: "语言",
    body: "请求体",
    loading: "正在加载校验器…",
    ready: "校验器已就绪。",
    failed: "校验器加载失败：",
    checkAll: "检查全部字段",
    reset: "重置",
    addRow: "+ 添加规格",
    removeRow: "删除",
    row: "规格",
    list: "以逗号分隔",
    choose: "— 请选择 —",
    valid: "没有错误：可以发送请求。",
    shown: "仅显示已编辑字段的提示。",
    counts: { error: "个错误", warning: "个警告", info: "条提示" },
    source: "出处",
    docFailed: "规则说明加载失败：",
  },
};

// One form per API: groups of fields (by pointer) and repeated rows for arrays of objects.
const FORMS = [
  {
    api: "geminidb-create-instance",
    title: { en: "GeminiDB · create instance", zh: "GeminiDB · 创建实例" },
    groups: [
      { legend: { en: "Instance", zh: "实例" }, anchor: "/datastore",
        fields: ["/name", "/datastore/type", "/datastore/version", "/datastore/storage_engine", "/mode",
          "/product_type", "/password", "/port"] },
      { legend: { en: "Network", zh: "网络" },
        fields: ["/region", "/availability_zone", "/vpc_id", "/subnet_id", "/security_group_id"] },
      { legend: { en: "Specifications", zh: "规格" }, rows: "/flavor",
        fields: ["num", "size", "storage", "spec_code"] },
      { legend: { en: "Backup", zh: "备份" }, anchor: "/backup_strategy",
        fields: ["/backup_strategy/start_time", "/backup_strategy/keep_days", "/ssl_option"] },
      { legend: { en: "Billing", zh: "计费" }, anchor: "/charge_info",
        fields: ["/charge_info/charge_mode", "/charge_info/period_type", "/charge_info/period_num",
          "/charge_info/is_auto_renew", "/charge_info/is_auto_pay"] },
    ],
    initial: {
      "/datastore/type": "cassandra", "/datastore/version": "3.11", "/datastore/storage_engine": "rocksDB",
      "/mode": "Cluster", "/region": "cn-north-4", "/availability_zone": "cn-north-4a",
      "/vpc_id": "674e9b42-cd8d-4d25-a2e6-5abcc565b961", "/subnet_id": "f1df08c5-71d1-406a-aff0-de435a510070",
      "/security_group_id": "7aa51dbf-5b63-40db-9724-dad3c4828b58",
      "/flavor/0/num": "3", "/flavor/0/size": "100", "/flavor/0/storage": "ULTRAHIGH",
      "/flavor/0/spec_code": "geminidb.cassandra.xlarge.4",
      "/backup_strategy/start_time": "08:15-09:15", "/backup_strategy/keep_days": "7",
      "/charge_info/charge_mode": "postPaid",
    },
  },
  {
    api: "ddm-create-instance",
    title: { en: "DDM · buy instance", zh: "DDM · 购买实例" },
    groups: [
      { legend: { en: "Instance", zh: "实例" }, anchor: "/instance",
        fields: ["/instance/name", "/instance/flavor_id", "/instance/node_num", "/instance/engine_id",
          "/instance/time_zone", "/instance/admin_user_name", "/instance/admin_user_password"] },
      { legend: { en: "Network", zh: "网络" },
        fields: ["/instance/available_zones", "/instance/vpc_id", "/instance/subnet_id",
          "/instance/security_group_id", "/instance/param_group_id", "/instance/enterprise_project_id"] },
      { legend: { en: "Billing", zh: "计费" }, anchor: "/extend_param",
        fields: ["/extend_param/charge_mode", "/extend_param/period_type", "/extend_param/period_num",
          "/extend_param/is_auto_renew", "/extend_param/is_auto_pay"] },
    ],
    initial: {
      "/instance/flavor_id": "8f2e696c-a9c1-30bd-af90-25522bc67606", "/instance/node_num": "2",
      "/instance/engine_id": "2325a707-0361-8be6-dd01-13474bbac437", "/instance/time_zone": "UTC+08:00",
      "/instance/available_zones": "cn-north-4a, cn-north-4b",
      "/instance/vpc_id": "e1d886ec-cfe7-4cd4-b748-fc55a10b4172",
      "/instance/subnet_id": "f942f970-1a02-4eee-8927-3f1c2b9a7d10",
      "/instance/security_group_id": "035b70ed-319b-4086-9fd7-62a2e8548b2e",
      "/extend_param/charge_mode": "postPaid",
    },
  },
  {
    api: "ddm-scale-out",
    title: { en: "DDM · scale out", zh: "DDM · 扩容" },
    groups: [
      { legend: { en: "Nodes", zh: "节点" },
        fields: ["/flavor_id", "/node_number", "/group_id", "/is_auto_pay"] },
    ],
    initial: { "/flavor_id": "8f2e696c-a9c1-30bd-af90-25522bc67606", "/node_number": "1" },
  },
];

// ---------------------------------------------------------------------------------------------
// State

const state = {
  lang: "en",
  linters: {}, // one Linter per language
  meta: {}, // api -> Map(pointer pattern -> FieldMeta)
  touched: {}, // api -> Set of pointers whose messages are shown
  showAll: {}, // api -> true after "Check all"
  current: FORMS[0].api,
  ruleDoc: null, // { api, id } of the rule whose documentation is shown
};

const $ = (selector, root = document) => root.querySelector(selector);
const text = (t) => t[state.lang];
const ui = (key) => UI[state.lang][key];

// ---------------------------------------------------------------------------------------------
// JSON Pointer helpers

const tokens = (pointer) => pointer.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));

/** fields() describes array items with `*`: /flavor/2/num → /flavor/*\/num. */
const pattern = (pointer) => pointer.replace(/\/\d+(?=\/|$)/g, "/*");

function setAt(body, pointer, value) {
  const path = tokens(pointer);
  let node = body;
  path.slice(0, -1).forEach((tok, i) => {
    if (node[tok] === undefined) node[tok] = /^\d+$/.test(path[i + 1]) ? [] : {};
    node = node[tok];
  });
  node[path[path.length - 1]] = value;
}

function getAt(body, pointer) {
  return tokens(pointer).reduce((node, tok) => (node == null ? undefined : node[tok]), body);
}

// ---------------------------------------------------------------------------------------------
// Building the forms from fields()

/** An element with a class and `data-*` attributes (`text` names a UI string, `en`/`zh` words). */
function el(tag, className, data = {}) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  Object.assign(node.dataset, data);
  return node;
}

/** The list that receives the diagnostics of a field, row or group. */
const messageList = () => el("ul", "messages");

/** A `type="button"` button whose label is the UI string `text`. */
function button(className, text) {
  const b = el("button", className, { text });
  b.type = "button";
  return b;
}

function metaOf(api, pointer) {
  return state.meta[api].get(pattern(pointer));
}

/** A control for one member, configured from its metadata. */
function createControl(api, meta, pointer) {
  let control;
  if (meta.enum || meta.type === "boolean") {
    control = document.createElement("select");
    const values = meta.enum ?? [
      { value: "true", label: { en: "true", zh: "是" } },
      { value: "false", label: { en: "false", zh: "否" } },
    ];
    control.append(new Option("", ""));
    for (const v of values) {
      const option = new Option(v.value, v.value);
      option.dataset.en = v.label.en;
      option.dataset.zh = v.label.zh;
      control.append(option);
    }
  } else {
    control = document.createElement("input");
    control.autocomplete = "off";
    if (meta.secret) {
      control.type = "password";
      control.autocomplete = "new-password";
    } else if (meta.type === "integer") {
      control.type = "number";
      control.step = "1";
      if (meta.minimum !== undefined) control.min = String(meta.minimum);
      if (meta.maximum !== undefined) control.max = String(meta.maximum);
    } else {
      control.type = "text";
    }
    // maxlength counts UTF-16 units: never more than the UTF-8 bytes of a byte limit, and as many
    // as the characters of a character limit for every character outside the emoji planes.
    if (meta.maxLength !== undefined) control.maxLength = meta.maxLength;
    if (meta.type === "array") control.dataset.list = "true";
  }
  control.id = `f-${api}-${pointer}`.replace(/[^A-Za-z0-9_-]/g, "_");
  control.name = pointer;
  control.dataset.pointer = pointer;
  control.dataset.type = meta.type;
  return control;
}

/** A labelled field with its message list; `data-anchor` receives the diagnostics at `pointer`. */
function createField(api, pointer) {
  const meta = metaOf(api, pointer);
  if (!meta) throw new Error(`${api}: fields() has no ${pointer}`);
  const field = el("div", "field", { anchor: pointer });
  const label = el("label", "", { meta: pattern(pointer) });
  const control = createControl(api, meta, pointer);
  label.htmlFor = control.id;
  const box = el("div", "control");
  box.append(control);
  if (meta.type === "array") box.append(el("span", "hint", { text: "list" }));
  box.append(messageList());
  field.append(label, box);
  return field;
}

function createRow(api, rowsPointer, index, names) {
  const row = el("div", "row", { anchor: `${rowsPointer}/${index}`, row: "true" });
  const head = el("div", "row-head");
  head.append(el("span", "row-title"), button("link remove-row", "removeRow"));
  row.append(head, messageList());
  for (const name of names) row.append(createField(api, `${rowsPointer}/${index}/${name}`));
  return row;
}

/** After a row is added or removed, number the rows and their pointers again. */
function renumberRows(rows) {
  const base = rows.dataset.anchor;
  [...rows.children].forEach((row, i) => {
    const old = row.dataset.anchor;
    const now = `${base}/${i}`;
    for (const node of row.querySelectorAll("[data-anchor], [data-pointer]")) {
      for (const key of ["anchor", "pointer"]) {
        if (node.dataset[key]?.startsWith(old + "/")) node.dataset[key] = now + node.dataset[key].slice(old.length);
      }
    }
    row.dataset.anchor = now;
    $(".row-title", row).textContent = `${ui("row")} ${i + 1}`;
  });
}

function buildForm(def) {
  const form = el("form", "", { api: def.api, anchor: "" });
  form.noValidate = true; // the linter is the validator
  form.hidden = def.api !== state.current;
  form.append(messageList());
  for (const group of def.groups) {
    const fieldset = el("fieldset");
    fieldset.append(el("legend", "", group.legend));
    if (group.anchor) {
      fieldset.dataset.anchor = group.anchor;
      fieldset.append(messageList());
    }
    if (group.rows) {
      const rows = el("div", "rows", { anchor: group.rows });
      const messages = messageList();
      const add = button("link add-row", "addRow");
      add.addEventListener("click", () => {
        rows.append(createRow(def.api, group.rows, rows.children.length, group.fields));
        renumberRows(rows);
        applyLanguage();
        validate(def.api, null);
      });
      rows.addEventListener("click", (event) => {
        if (!event.target.matches(".remove-row")) return;
        event.target.closest(".row").remove();
        renumberRows(rows);
        // Indices moved: show the messages of every row from now on.
        state.touched[def.api].add(group.rows);
        validate(def.api, null);
      });
      rows.append(createRow(def.api, group.rows, 0, group.fields));
      renumberRows(rows);
      fieldset.append(messages, rows, add);
    } else {
      for (const pointer of group.fields) fieldset.append(createField(def.api, pointer));
    }
    form.append(fieldset);
  }
  const actions = el("div", "actions");
  const all = el("button", "primary", { text: "checkAll" });
  all.type = "submit";
  const reset = button("link", "reset");
  reset.addEventListener("click", () => fill(form, def));
  actions.append(all, reset);
  form.append(actions);

  form.addEventListener("input", (event) => onEdit(def.api, event.target));
  form.addEventListener("change", (event) => onEdit(def.api, event.target));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    state.showAll[def.api] = true;
    validate(def.api, null);
  });
  return form;
}

/** Put the initial values in a form and forget what was touched. */
function fill(form, def) {
  for (const control of form.querySelectorAll("[data-pointer]")) {
    control.value = def.initial[control.dataset.pointer] ?? "";
  }
  state.touched[def.api] = new Set();
  state.showAll[def.api] = false;
  validate(def.api, null);
}

// ---------------------------------------------------------------------------------------------
// Form state → request body

/** A control's value as the API expects it; `undefined` for an empty control (left out). */
function readValue(control) {
  const raw = control.value;
  if (raw === "") return undefined;
  switch (control.dataset.type) {
    case "integer":
      return /^-?\d+$/.test(raw) ? Number(raw) : raw; // anything else: let the linter say why
    case "boolean":
      return raw === "true";
    case "array":
      return raw.split(",").map((item) => item.trim());
    default:
      return raw;
  }
}

function collectBody(form) {
  const body = {};
  for (const row of form.querySelectorAll("[data-row]")) setAt(body, row.dataset.anchor, {});
  for (const rows of form.querySelectorAll(".rows")) {
    if (rows.children.length === 0) setAt(body, rows.dataset.anchor, []);
  }
  for (const control of form.querySelectorAll("[data-pointer]")) {
    const value = readValue(control);
    if (value !== undefined) setAt(body, control.dataset.pointer, value);
  }
  return body;
}

// ---------------------------------------------------------------------------------------------
// Validation and messages

function onEdit(api, control) {
  const pointer = control.dataset?.pointer;
  if (!pointer) return;
  validate(api, control);
}

function validate(api, edited) {
  const form = $(`form[data-api="${api}"]`);
  const linter = state.linters[state.lang];
  const body = collectBody(form);
  const touched = state.touched[api];
  if (edited) {
    const pointer = edited.dataset.pointer;
    touched.add(pointer);
    const value = readValue(edited);
    if (value !== undefined) {
      // The members this edit involves (cross-field rules) get their messages shown too.
      for (const d of linter.checkField(api, pointer, value, body).diagnostics) touched.add(d.pointer);
    }
  }
  const report = linter.check(api, body);
  const shown = (p) => state.showAll[api] || [...touched].some((t) => p === t || p.startsWith(t + "/"));
  showMessages(form, report.diagnostics.filter((d) => shown(d.pointer)));
  showSummary(report);
  showPreview(api, body);
}

/** The element that shows messages for a pointer: itself, or its nearest enclosing anchor. */
function anchorFor(form, pointer) {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf("/"))) {
    const el = form.querySelector(`[data-anchor="${CSS.escape(p)}"]`);
    if (el) return el;
    if (p === "") return form;
  }
}

function showMessages(form, diagnostics) {
  for (const list of form.querySelectorAll(".messages")) list.replaceChildren();
  for (const node of form.querySelectorAll("[data-state]")) delete node.dataset.state;
  const rank = { error: 3, warning: 2, info: 1 };
  for (const d of diagnostics) {
    const anchor = anchorFor(form, d.pointer);
    const list = anchor === form ? $(":scope > .messages", form) : $(":scope .messages", anchor);
    const item = el("li", d.severity, { rule: d.rule, for: d.pointer });
    const rule = el("button", "rule");
    rule.type = "button";
    rule.textContent = d.rule;
    // Keep the focus where it is: a blur would re-check and redraw the messages under the
    // pointer before the click lands.
    rule.addEventListener("mousedown", (event) => event.preventDefault());
    rule.addEventListener("click", () => showRuleDoc(form.dataset.api, d.rule));
    item.append(rule, d.message);
    item.title = d.help;
    list.append(item);
    if ((rank[d.severity] ?? 0) > (rank[anchor.dataset.state] ?? 0)) anchor.dataset.state = d.severity;
  }
}

/** The documentation of one rule, in the side panel (loaded by the first rules() call). */
async function showRuleDoc(api, id) {
  state.ruleDoc = { api, id };
  const box = $("#rule-doc");
  box.hidden = false;
  try {
    const docs = await state.linters[state.lang].rules(api);
    const r = docs.find((x) => x.id === id);
    const title = el("h2");
    title.textContent = `${r.id} · ${r.name}`;
    const summary = el("p", "doc-summary");
    summary.textContent = text(r.summary);
    const why = el("p", "doc-why");
    why.textContent = text(r.why);
    const source = el("p", "hint");
    source.textContent = `${ui("source")}: ${[r.source.page, r.source.table, r.source.parameter].filter(Boolean).join(" · ")}`;
    box.replaceChildren(title, summary, why, source);
  } catch (error) {
    box.textContent = ui("docFailed") + error.message;
  }
}

function showSummary(report) {
  const box = $("#summary");
  box.replaceChildren();
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of report.diagnostics) counts[d.severity] += 1;
  if (report.valid) {
    const ok = el("p", "ok");
    ok.textContent = ui("valid");
    box.append(ok);
  }
  const line = el("div", "counts");
  for (const severity of ["error", "warning", "info"]) {
    const span = el("span", severity);
    span.textContent = `${counts[severity]} ${ui("counts")[severity]}`;
    line.append(span);
  }
  const note = el("p", "hint");
  note.textContent = ui("shown");
  box.append(line, note);
}

/** The body as it would be sent, with every secret member masked. */
function showPreview(api, body) {
  const shown = structuredClone(body);
  for (const meta of state.meta[api].values()) {
    if (meta.secret && getAt(shown, meta.pointer) !== undefined) setAt(shown, meta.pointer, "********");
  }
  $("#body-preview").textContent = JSON.stringify(shown, null, 2);
}

// ---------------------------------------------------------------------------------------------
// Language and tabs

function applyLanguage() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = ui(node.dataset.text);
  for (const node of document.querySelectorAll("legend, option[data-en], .tabs button")) {
    if (node.dataset[state.lang]) node.textContent = node.dataset[state.lang];
  }
  for (const select of document.querySelectorAll("select[data-pointer]")) {
    select.options[0].textContent = ui("choose");
  }
  for (const label of document.querySelectorAll("label[data-meta]")) {
    const form = label.closest("form");
    const meta = state.meta[form.dataset.api].get(label.dataset.meta);
    label.textContent = text(meta.label);
    if (meta.required) {
      const star = el("span", "req");
      star.textContent = "*";
      label.append(star);
    }
  }
  for (const rows of document.querySelectorAll(".rows")) renumberRows(rows);
}

function selectTab(api) {
  state.current = api;
  for (const button of document.querySelectorAll(".tabs button")) {
    button.setAttribute("aria-selected", String(button.dataset.api === api));
  }
  for (const form of document.querySelectorAll("form[data-api]")) form.hidden = form.dataset.api !== api;
  validate(api, null);
}

// ---------------------------------------------------------------------------------------------
// Start

async function main() {
  await init();
  state.linters = { en: new Linter({ lang: "en" }), zh: new Linter({ lang: "zh" }) };
  const tabs = $("#tabs");
  for (const def of FORMS) {
    state.meta[def.api] = new Map(state.linters.en.fields(def.api).map((m) => [m.pointer, m]));
    state.touched[def.api] = new Set();
    const tab = el("button", "", { api: def.api, ...def.title });
    tab.type = "button";
    tab.role = "tab";
    tab.addEventListener("click", () => selectTab(def.api));
    tabs.append(tab);
    $("#forms").append(buildForm(def));
  }
  $("#lang").addEventListener("change", (event) => {
    state.lang = event.target.value;
    applyLanguage();
    validate(state.current, null);
    if (state.ruleDoc) showRuleDoc(state.ruleDoc.api, state.ruleDoc.id);
  });
  applyLanguage();
  for (const def of FORMS) fill($(`form[data-api="${def.api}"]`), def);
  selectTab(FORMS[0].api);
  const status = $("#status");
  status.dataset.text = "ready";
  status.textContent = ui("ready");
  document.body.dataset.ready = "true";
}

main().catch((error) => {
  const status = $("#status");
  status.classList.add("failed");
  status.textContent = UI[state.lang].failed + error.message;
  delete status.dataset.text;
});
