-- wrk script: every request creates a ticket as the token's identity (benches/load.sh).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")

local n = 0
request = function()
  n = n + 1
  local body = string.format('{"title":"load %d %d","queue":"Level 1"}', math.random(1e9), n)
  return wrk.format(nil, nil, nil, body)
end
