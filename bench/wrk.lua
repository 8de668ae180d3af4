-- wrk script for bench/run.ts: unique client_message_ids when posting, and one JSON line at the end.
-- Posting is on when WRK_POST_BODY is set (the form body without client_message_id). With WRK_PATHS
-- (comma-separated, the bot API) each post goes to the next path and the body is sent as it is.
local post_body = os.getenv("WRK_POST_BODY")
local paths = {}
for path in string.gmatch(os.getenv("WRK_PATHS") or "", "[^,]+") do table.insert(paths, path) end
local run = os.getenv("WRK_RUN") or "0"
local next_thread = 0

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

local counter = 0
function request()
  if post_body == nil then return wrk.request() end
  counter = counter + 1
  if #paths > 0 then return wrk.format("POST", paths[(counter * 2 + thread_id) % #paths + 1], nil, post_body) end
  return wrk.format("POST", nil, nil, post_body .. "&client_message_id=w" .. run .. "-" .. thread_id .. "-" .. counter)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\n{"requests":%d,"duration_us":%d,"errors":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
