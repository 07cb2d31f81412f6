-- wrk script for bench/s3_compare.py: replays presigned S3 URLs (SigV4 in the query string, so
-- the server verifies every request's signature) round-robin over a pool of keys.
-- Arguments after `--`: METHOD URLS_FILE THREADS [BODY_FILE [REQUESTS_PER_THREAD_MAX]]
--   URLS_FILE holds one path-and-query per line; thread k of THREADS takes lines k, k+THREADS, ...
--   so concurrent connections write different keys. Requests are formatted once in init():
--   request() then hands wrk a ready string (one memcpy), which keeps the client's CPU low even
--   for 64 MiB bodies. REQUESTS_PER_THREAD_MAX bounds the memory those ready bodies take.
-- done() prints one line `S3COMPARE {json}` with the counts and latency percentiles (µs).

local thread_count = 0
function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
end

local ready = {}
local next_index = 0

function init(args)
  local method, urls_file, threads = args[1], args[2], tonumber(args[3])
  local body = nil
  if args[4] and args[4] ~= "" then
    local f = assert(io.open(args[4], "rb")); body = f:read("*a"); f:close()
  end
  local per_thread_max = tonumber(args[5] or "1000000")
  local line_number = 0
  for path in io.lines(urls_file) do
    if line_number % threads == thread_id and #ready < per_thread_max then
      ready[#ready + 1] = wrk.format(method, path, nil, body)
    end
    line_number = line_number + 1
  end
  assert(#ready > 0, "no URL for thread " .. thread_id)
  next_index = thread_id % #ready
end

function request()
  next_index = next_index % #ready + 1
  return ready[next_index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'S3COMPARE {"requests":%d,"duration_us":%d,"bytes_read":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
