-- The Neovim setup of docs/editors.md under a real Neovim, headless: scripts/nvim-test.sh loads
-- the documented snippet as init.lua and sources this file, which opens files in the prepared
-- directory ($HCDB_NVIM_DIR), drives Neovim as a user does (keys in insert mode for completion,
-- vim.lsp.buf.code_action for a quick fix) and writes one line per check to $HCDB_NVIM_RESULTS:
-- `ok <check>` or `FAIL <check>: <what was seen>`. Written for Neovim 0.7 (Debian's package)
-- and later.

local dir = os.getenv("HCDB_NVIM_DIR")
local results = {}

local function check(name, ok, detail)
  if ok then
    table.insert(results, "ok " .. name)
  else
    table.insert(results, "FAIL " .. name .. ": " .. vim.inspect(detail))
  end
end

local function finish()
  local f = io.open(os.getenv("HCDB_NVIM_RESULTS"), "w")
  f:write(table.concat(results, "\n") .. "\n")
  f:close()
  vim.cmd("qa!")
end

local function clients()
  return (vim.lsp.get_clients or vim.lsp.get_active_clients)()
end

local function open(name)
  vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/" .. name))
  return vim.api.nvim_get_current_buf()
end

local function wait_for(ms, pred)
  return vim.wait(ms, pred, 50)
end

local function is_ascii(s)
  return not s:find("[\128-\255]")
end

local function request(buf, method, params)
  local answers = vim.lsp.buf_request_sync(buf, method, params, 10000) or {}
  for _, a in pairs(answers) do
    if a.result ~= nil then
      return a.result
    end
  end
  return nil
end

local function keys(k)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(k, true, false, true), "t", false)
end

-- The steps run one after another, each when the previous one's keys have been typed.
local steps = {}
local function step(f)
  table.insert(steps, f)
end
local function run(i)
  if i > #steps then
    return finish()
  end
  local ok, err = pcall(steps[i])
  if not ok then
    check("step " .. i, false, err)
  end
  vim.defer_fn(function()
    run(i + 1)
  end, 300)
end

local bad
step(function()
  -- Diagnostics, in the config file's language: the setup sets no `lang`.
  bad = open("bad.json")
  local got = wait_for(15000, function()
    return #vim.diagnostic.get(bad) > 0
  end)
  check("diagnostics on a bad body", got, clients())
  local ds = vim.diagnostic.get(bad)
  local all_zh = #ds > 0
  for _, d in ipairs(ds) do
    all_zh = all_zh and not is_ascii(d.message)
  end
  check("messages in hcdb-lint.json's language (no editor setting)", all_zh, ds[1] and ds[1].message)
  check("the documented keys are mapped", #vim.api.nvim_buf_get_keymap(bad, "n") >= 4, nil)
  check("omnifunc is the LSP's", vim.bo[bad].omnifunc == "v:lua.vim.lsp.omnifunc", vim.bo[bad].omnifunc)
end)

step(function()
  -- Hover on the first diagnostic's member.
  local d = vim.diagnostic.get(bad)[1]
  local h = request(bad, "textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(bad) },
    position = { line = d.lnum, character = d.col + 1 },
  })
  local text = h and h.contents and (h.contents.value or vim.inspect(h.contents)) or ""
  check("hover explains the rule", text:find(d.code or "?", 1, true) ~= nil, text)
end)

step(function()
  -- A quick fix through vim.lsp.buf.code_action, the first action chosen.
  local target
  for _, d in ipairs(vim.diagnostic.get(bad)) do
    if d.code == "GDB108" then
      target = d
    end
  end
  check("the storage engine's case is diagnosed", target ~= nil, vim.diagnostic.get(bad))
  vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col + 1 })
  vim.ui.select = function(items, _, on_choice)
    on_choice(items[1], 1)
  end
  vim.lsp.buf.code_action()
  local fixed = wait_for(10000, function()
    for _, d in ipairs(vim.diagnostic.get(bad)) do
      if d.code == "GDB108" then
        return false
      end
    end
    return true
  end)
  local line = vim.api.nvim_buf_get_lines(bad, target.lnum, target.lnum + 1, false)[1]
  check("the quick fix rewrites the value and the diagnostic goes", fixed and line:find('"rocksDB"', 1, true) ~= nil, line)
end)

local comp
step(function()
  -- Completion of a value with <C-x><C-o>, after the quote already typed.
  comp = open("completion.json")
  wait_for(1000, function()
    return false
  end)
  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  keys("A<C-x><C-o>")
end)
step(function()
  wait_for(1500, function()
    return false
  end)
  keys("<C-y><Esc>")
end)
step(function()
  local line = vim.api.nvim_buf_get_lines(comp, 1, 2, false)[1]
  check("<C-x><C-o> inserts a value once quoted", line == '  "mode": "Cluster"', line)
  -- And a member name.
  vim.api.nvim_win_set_cursor(0, { 3, 0 })
  keys("A<C-x><C-o>")
end)
step(function()
  wait_for(1500, function()
    return false
  end)
  keys("<C-y><Esc>")
end)
step(function()
  local line = vim.api.nvim_buf_get_lines(comp, 2, 3, false)[1]
  check("<C-x><C-o> inserts a member name once quoted", line == '  "datastore": {"type": "redis", "storage_engine": ', line)
end)

step(function()
  -- Settings pulled after a change: the editor now says English.
  local c = clients()[1]
  c.config.settings = { hcdbLint = { lang = "en" } }
  c.notify("workspace/didChangeConfiguration", { settings = vim.NIL })
  local english = wait_for(10000, function()
    local ds = vim.diagnostic.get(bad)
    return #ds > 0 and is_ascii(ds[1].message)
  end)
  check("settings are pulled after didChangeConfiguration", english, vim.diagnostic.get(bad)[1])
end)

step(function()
  -- A broken hcdb-lint.json: one pointer from the body, the diagnostic in the config file.
  local body = open("broken/body.json")
  local pointed = wait_for(10000, function()
    return #vim.diagnostic.get(body) == 1
  end)
  local ds = vim.diagnostic.get(body)
  check("a body under a broken config points at it", pointed and ds[1].message:find("GDB999", 1, true) ~= nil, ds)
  local cfg = open("broken/hcdb-lint.json")
  local there = wait_for(10000, function()
    return #vim.diagnostic.get(cfg) == 1
  end)
  local cd = vim.diagnostic.get(cfg)[1] or {}
  local line = vim.api.nvim_buf_get_lines(cfg, cd.lnum or 0, (cd.lnum or 0) + 1, false)[1] or ""
  check("the broken config is diagnosed at the member at fault", there and line:sub((cd.col or 0) + 1, (cd.col or 0) + 8) == '"GDB999"', { cd, line })
end)

step(function()
  -- package.json: nothing at all.
  local pkg = open("package.json")
  wait_for(2000, function()
    return #vim.diagnostic.get(pkg) > 0
  end)
  check("package.json gets no diagnostics", #vim.diagnostic.get(pkg) == 0, vim.diagnostic.get(pkg))
  local r = request(pkg, "textDocument/completion", {
    textDocument = { uri = vim.uri_from_bufnr(pkg) },
    position = { line = 1, character = 3 },
  })
  local n = r and #(r.items or r) or 0
  check("package.json gets no completion", n == 0, r)
  check("package.json is attached (and left alone)", vim.lsp.buf_is_attached(pkg, clients()[1].id), nil)
end)

-- Everything must be over in two minutes.
vim.defer_fn(function()
  check("finished in time", false, "timed out")
  finish()
end, 120000)
vim.defer_fn(function()
  run(1)
end, 200)
