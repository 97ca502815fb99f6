-- wrk script: one request shape per run, chosen by BENCH_MODE ("sign", "baseline", "page",
-- "home", "json"), counting responses by status so the report can compare them with rows
-- stored. BENCH_RUN (a small number) keeps each signing run's emails and addresses its own.
local mode = os.getenv("BENCH_MODE") or "baseline"
local path = os.getenv("BENCH_PATH") or "/"
local token = os.getenv("BENCH_CSRF") or ""
local run = tonumber(os.getenv("BENCH_RUN") or "") or 0
-- Each run signs from a region of its own, so the report can tell its rows apart.
local regions = {"bishkek", "osh", "talas"}
local threads = {}
SIGNATURES_PER_ADDRESS = 4

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  ok = 0
  other = 0
end

function request()
  if mode ~= "sign" then
    return wrk.format("GET", path)
  end
  counter = counter + 1
  local body = "csrfmiddlewaretoken=" .. token ..
    "&name=Bench+Signer&region=" .. regions[run + 1] .. "&privacy=on&email=bench-" .. run .. "-" ..
    id .. "-" .. counter ..
    "%40example.org"
  -- Signers arrive through the proxy from many addresses, a few signatures each (a shared
  -- mobile or office address), below the per-address limit, so each takes the full path.
  local address = math.floor(counter / SIGNATURES_PER_ADDRESS)
  local forwarded = string.format(
    "%d.%d.%d.%d", 10 + run, id, math.floor(address / 256) % 256, address % 256)
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. token,
    ["X-Forwarded-For"] = forwarded,
  }, body)
end

-- The one status each request shape answers with when all is well.
local expected = {baseline = 301, sign = 302, page = 200, home = 200, json = 200}

function response(status, headers, body)
  if status == expected[mode] then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_other = 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_other = total_other + thread:get("other")
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d ok=%d other=%d socket_errors=%d p50_ms=%.2f p99_ms=%.2f seconds=%.3f\n",
    summary.requests, total_ok, total_other,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.duration / 1e6))
end
