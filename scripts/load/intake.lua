-- wrk script for scripts/load-intake: POST /api/v1/cases with varied, realistic complaints.
-- Usage: wrk ... -s scripts/load/intake.lua URL -- TOKEN
local places = {
  "濮阳县柳屯镇东陈庄村", "濮阳县文留镇", "清丰县马庄桥镇", "清丰县城关镇", "南乐县城关镇",
  "南乐县元村镇", "范县陈庄镇", "台前县侯庙镇", "华龙区岳村镇", "华龙区胜利路街道",
  "濮阳县户部寨镇", "清丰县韩村镇", "范县龙王庄镇", "台前县打渔陈镇", "南乐县韩张镇",
}
local problems = {
  "塑料颗粒加工点夜间排放刺鼻废气", "砖厂烟囱冒黑烟，粉尘很大", "废品收购站露天焚烧垃圾",
  "家具厂露天喷漆，气味难闻", "养殖场粪污直排沟渠，臭味严重", "工地夜间施工噪音扰民",
  "散煤烧锅炉冒黑烟", "渣土车不苫盖，道路扬尘严重", "小作坊酸洗废水排进河道", "石料厂粉碎作业粉尘漫天",
}
local token
local thread_no = 0
local counter = 0

function setup(thread)
  thread_no = thread_no + 1
  thread:set("tno", thread_no)
end

function init(args)
  token = args[1]
  counter = 0
end

function request()
  counter = counter + 1
  local n = counter * 7 + (tno or 1)
  local place = places[(n % #places) + 1]
  local problem = problems[(math.floor(n / #places) % #problems) + 1]
  -- Receipt times spread over the last 200 days (letters and calls entered later), so that a long
  -- run never meets the per-day cap of 9999 accept numbers, which no real hotline reaches.
  local received = os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - (n % 200) * 86400 - 3600)
  local body = string.format(
    '{"channel":"phone","text":"%s第%d组附近%s，已经持续一周，请督察组尽快核查处理。","received_at":"%s","complainant":{"name":"王%d","phone":"139%08d"}}',
    place, n, problem, received, n % 997, (tno or 1) * 10000000 + counter)
  return wrk.format("POST", "/api/v1/cases",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local ok = summary.requests - summary.errors.status - summary.errors.connect - summary.errors.read
    - summary.errors.write - summary.errors.timeout
  io.write(string.format("RESULT requests=%d ok=%d non2xx=%d sockerr=%d secs=%.1f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, ok, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    secs, ok / secs, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
