-- wrk script for the ptn-serve benchmark.
-- Usage: wrk ... -s paths.lua URL -- PATHS_FILE [SEED]
-- Each request picks a random line of PATHS_FILE (one request path a line; a single line = a fixed path), with the
-- headers given by wrk's -H flags. done() prints one line "WRKJSON {...}" that bench.py parses: requests, bytes,
-- duration, errors by kind, latency percentiles (microseconds).

local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_index", thread_count)
end

local paths = {}

function init(args)
  local file = args[1]
  for line in io.lines(file) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  if #paths == 0 then error("no paths in " .. file) end
  math.randomseed((tonumber(args[2]) or 1) * 1000 + (thread_index or 0))
end

function request()
  return wrk.format(nil, paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "bytes": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.bytes, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
